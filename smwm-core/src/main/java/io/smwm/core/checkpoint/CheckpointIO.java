package io.smwm.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.ParamSpec;
import io.smwm.core.model.WorldModelGraph;
import io.smwm.core.optim.AdamState;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;

/**
 * Reads and writes {@link Checkpoint}s as a versioned directory (format version {@value #FORMAT_VERSION}):
 * <pre>
 *   manifest.json   {"format": "smwm-checkpoint", "format_version": 1, "config": {model, loss, train: every key},
 *                    "provenance": {...}, "parameters": [{"name", "shape"}...] (canonical order),
 *                    "normalizer": {"primitive_dim", "frameskip"}, "updater": {"type": "adam", "step"} or null,
 *                    "average": {"count"} (only with a parameter average),
 *                    "files": {"params.bin": {"bytes", "sha256"}, ...}}
 *   params.bin      one ND4J binary array per parameter, in manifest order, each as written by
 *                   {@code Nd4j.write(INDArray, DataOutputStream)} (ND4J's own header: shape info, data type and
 *                   length, then the raw buffer), float32, shapes as in "parameters"
 *   normalizer.bin  two ND4J arrays: mean [k·m], std [k·m] (tiled primitive statistics)
 *   updater.bin     (only with an updater) two ND4J arrays: Adam m [N], v [N], flat in parameter order
 *   average.bin     (only with a parameter average) one ND4J array: the mean of the iterates [N], flat in parameter
 *                   order; it is the model ({@link Checkpoint#modelParams}), params.bin the iterate to continue from
 * </pre>
 * Writes are atomic: everything goes to a temporary sibling directory that is renamed into place; an existing
 * checkpoint is replaced only with {@code overwrite}. Loading checks the format and version, that every listed file
 * exists with the recorded size and SHA-256, and then reads the arrays with a bounded parser of its own
 * ({@link ArrayFileReader}) that checks every array header against the shapes the config implies before allocating
 * and refuses non-finite values; it reports all problems found at once. No Java serialisation, and no length read
 * from a file reaches ND4J's allocator.
 */
public final class CheckpointIO {
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json", PARAMS = "params.bin", NORMALIZER = "normalizer.bin",
            UPDATER = "updater.bin", AVERAGE = "average.bin";
    /** A manifest is a few kilobytes; anything over this is refused before parsing. */
    static final long MAX_MANIFEST_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointIO() {}

    public static void save(Checkpoint c, Path dir, boolean overwrite) {
        dir = dir.toAbsolutePath().normalize();
        if (Files.exists(dir) && !overwrite)
            throw new CheckpointException("checkpoint " + dir + " already exists; pass overwrite to replace it");
        List<ParamSpec> specs = WorldModelGraph.paramSpecs(c.config().model());
        long n = specs.stream().mapToLong(ParamSpec::length).sum();
        if (c.params().length() != n)
            throw new CheckpointException("params have " + c.params().length() + " entries, config implies " + n);
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            INDArray flat = c.params().reshape(n).castTo(DataType.FLOAT);
            List<INDArray> arrays = new ArrayList<>();
            long off = 0;
            for (ParamSpec s : specs) {
                arrays.add(flat.get(NDArrayIndex.interval(off, off + s.length())).dup().reshape('c', s.shape()));
                off += s.length();
            }
            writeArrays(tmp.resolve(PARAMS), arrays);
            writeArrays(tmp.resolve(NORMALIZER), List.of(Nd4j.create(c.normalizer().mean()), Nd4j.create(c.normalizer().std())));
            if (c.updater() != null)
                writeArrays(tmp.resolve(UPDATER), List.of(c.updater().m().reshape(n).castTo(DataType.FLOAT),
                        c.updater().v().reshape(n).castTo(DataType.FLOAT)));
            if (c.average() != null)
                writeArrays(tmp.resolve(AVERAGE), List.of(c.average().mean().reshape(n).castTo(DataType.FLOAT)));
            ObjectNode m = JSON.createObjectNode();
            m.put("format", "smwm-checkpoint");
            m.put("format_version", FORMAT_VERSION);
            m.set("config", ConfigLoader.toTree(c.config()));
            m.set("provenance", JSON.valueToTree(c.provenance()));
            ArrayNode ps = m.putArray("parameters");
            for (ParamSpec s : specs) {
                ObjectNode p = ps.addObject();
                p.put("name", s.name());
                ArrayNode sh = p.putArray("shape");
                for (long d : s.shape()) sh.add(d);
            }
            ObjectNode nz = m.putObject("normalizer");
            nz.put("primitive_dim", c.normalizer().primitiveDim());
            nz.put("frameskip", c.normalizer().frameskip());
            if (c.updater() != null) {
                ObjectNode u = m.putObject("updater");
                u.put("type", "adam");
                u.put("step", c.updater().step());
            } else m.putNull("updater");
            if (c.average() != null) m.putObject("average").put("count", c.average().count());
            ObjectNode files = m.putObject("files");
            for (String f : files(c.updater() != null, c.average() != null)) {
                ObjectNode fo = files.putObject(f);
                fo.put("bytes", Files.size(tmp.resolve(f)));
                fo.put("sha256", sha256(tmp.resolve(f)));
            }
            JSON.writeValue(tmp.resolve(MANIFEST).toFile(), m);
            Path old = null;
            if (Files.exists(dir)) {
                old = dir.resolveSibling("." + dir.getFileName() + ".old-" + UUID.randomUUID());
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) deleteTree(old);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new CheckpointException("cannot write checkpoint " + dir + ": " + e, e);
        }
    }

    /**
     * Loads and checks a checkpoint; never trusts a length or shape in the files (see {@link ArrayFileReader}).
     *
     * @throws CheckpointException (a {@link io.smwm.core.util.UserError}) naming every problem found: format,
     *         version, config, missing files, sizes and SHA-256, parameter names and shapes, array headers, non-finite
     *         values, a normalizer or Adam state that cannot be right
     */
    public static Checkpoint load(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException("checkpoint " + dir + ": not a directory");
        return load(CheckpointSource.of(dir));
    }

    /**
     * Loads and checks a checkpoint from its files' bytes by name (manifest.json, params.bin, ...), with every check
     * of {@link #load(Path)}; nothing touches the disk.
     */
    public static Checkpoint load(Map<String, byte[]> files, String label) {
        return load(CheckpointSource.of(files, label));
    }

    /** Loads and checks a checkpoint from {@code src}, with every check of {@link #load(Path)}. */
    public static Checkpoint load(CheckpointSource src) {
        String where = src.describe();
        if (!src.exists(MANIFEST)) throw new CheckpointException(where + ": missing " + MANIFEST + " (not a checkpoint, or an unfinished write)");
        JsonNode m;
        try {
            long size = src.size(MANIFEST);
            if (size > MAX_MANIFEST_BYTES)
                throw new CheckpointException(where + ": " + MANIFEST + " has " + size + " bytes, more than the "
                        + MAX_MANIFEST_BYTES + " a manifest can have (not a checkpoint manifest)");
            try (InputStream in = src.open(MANIFEST)) {
                m = JSON.readTree(in);
            }
        } catch (IOException e) {
            throw new CheckpointException(where + ": " + MANIFEST + " is not valid JSON: " + e.getMessage(), e);
        }
        if (m == null || !m.isObject())
            throw new CheckpointException(where + ": " + MANIFEST + " is not a JSON object");
        if (!"smwm-checkpoint".equals(m.path("format").asText()))
            throw new CheckpointException(where + ": " + MANIFEST + " has format '" + m.path("format").asText()
                    + "', expected 'smwm-checkpoint'");
        int version = m.path("format_version").isInt() ? m.path("format_version").asInt() : -1;
        if (version != FORMAT_VERSION)
            throw new CheckpointException(where + ": format_version " + m.path("format_version")
                    + " is not supported by this build (supports " + FORMAT_VERSION + ")");
        if (!m.path("config").isObject())
            throw new CheckpointException(where + ": " + MANIFEST + " has no config");
        ExperimentConfig config;
        try {
            config = ConfigLoader.fromTree(m.get("config"), where + "/" + MANIFEST + " config");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        boolean hasUpdater = m.hasNonNull("updater"), hasAverage = m.hasNonNull("average");
        List<String> problems = new ArrayList<>();
        for (String f : files(hasUpdater, hasAverage))
            checkFile(src, f, m.path("files").path(f), problems);
        List<ParamSpec> specs = WorldModelGraph.paramSpecs(config.model());
        List<String> declared = new ArrayList<>();
        m.path("parameters").forEach(p -> declared.add(p.path("name").asText() + p.path("shape").toString().replace(",", ", ")));
        List<String> expected = specs.stream().map(ParamSpec::toString).toList();
        if (!declared.equals(expected))
            problems.add(MANIFEST + " lists parameters " + abbreviate(declared) + " but the config implies " + expected);
        int km = config.model().modelActionDim();
        JsonNode nzm = m.path("normalizer");
        if (nzm.path("primitive_dim").asInt(config.model().actionDim()) != config.model().actionDim()
                || nzm.path("frameskip").asInt(config.model().frameskip()) != config.model().frameskip())
            problems.add(MANIFEST + " normalizer " + nzm + " disagrees with the config (model.actionDim="
                    + config.model().actionDim() + ", model.frameskip=" + config.model().frameskip() + ")");
        long step = m.path("updater").path("step").asLong(-1);
        if (hasUpdater && step < 0) problems.add(MANIFEST + " updater.step must be >= 0, got " + m.path("updater").path("step"));
        long averaged = m.path("average").path("count").asLong(-1);
        if (hasAverage && averaged < 1)
            problems.add(MANIFEST + " average.count must be >= 1, got " + m.path("average").path("count"));
        if (!m.path("provenance").isObject()) problems.add(MANIFEST + " has no provenance");
        if (!problems.isEmpty()) throw new CheckpointException(where + " is unusable: " + String.join("; ", problems));

        List<ArrayFileReader.Expected> pe = specs.stream().map(s -> new ArrayFileReader.Expected(s.name(), s.shape())).toList();
        List<float[]> params = ArrayFileReader.read(src, PARAMS, pe, problems);
        List<float[]> nz = ArrayFileReader.read(src, NORMALIZER, List.of(
                new ArrayFileReader.Expected("mean", new long[]{km}), new ArrayFileReader.Expected("std", new long[]{km})), problems);
        long n = specs.stream().mapToLong(ParamSpec::length).sum();
        List<float[]> up = hasUpdater ? ArrayFileReader.read(src, UPDATER, List.of(
                new ArrayFileReader.Expected("adam_m", new long[]{n}), new ArrayFileReader.Expected("adam_v", new long[]{n})),
                problems) : List.of();
        List<float[]> avg = hasAverage ? ArrayFileReader.read(src, AVERAGE,
                List.of(new ArrayFileReader.Expected("average", new long[]{n})), problems) : List.of();
        if (up.size() == 2)
            for (int i = 0; i < n; i++)
                if (up.get(1)[i] < 0) {
                    problems.add(UPDATER + ": Adam's second moment v must be >= 0, got " + up.get(1)[i] + " at " + i);
                    break;
                }
        if (!problems.isEmpty()) throw new CheckpointException(where + " is unusable: " + String.join("; ", problems));

        float[] flat = new float[(int) n];
        int off = 0;
        for (float[] p : params) {
            System.arraycopy(p, 0, flat, off, p.length);
            off += p.length;
        }
        Normalizer normalizer;
        Provenance prov;
        try {
            normalizer = Normalizer.ofTiled(nz.get(0), nz.get(1), config.model().actionDim(), config.model().frameskip());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": " + NORMALIZER + ": " + e.getMessage(), e);
        }
        try {
            prov = JSON.convertValue(m.get("provenance"), Provenance.class);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": " + MANIFEST + " provenance is invalid: " + e.getMessage(), e);
        }
        AdamState adam = hasUpdater ? new AdamState(Nd4j.createFromArray(up.get(0)), Nd4j.createFromArray(up.get(1)), step) : null;
        Checkpoint.Average average = avg.size() == 1
                ? new Checkpoint.Average(Nd4j.createFromArray(avg.get(0)), averaged) : null;
        return new Checkpoint(config, normalizer, Nd4j.createFromArray(flat), adam, prov, average);
    }

    /**
     * Finishes or cleans up after saves that were interrupted (killed) in {@code dir}'s parent. A save writes a complete
     * copy to a hidden sibling {@code .NAME.tmp-*} (manifest last), moves the current checkpoint aside to
     * {@code .NAME.old-*}, renames the copy into place and deletes the old one; a kill in between leaves {@code NAME}
     * missing or older than a complete copy. Of {@code dir} and the siblings, the one that loads with the most Adam steps
     * (then the latest epoch and round; {@code dir} itself on ties) becomes {@code dir}, and every other sibling is
     * deleted. The caller must be the checkpoint's only writer (hold the run's lock).
     *
     * @return one line saying what was recovered or removed, or null when there was nothing to do
     */
    public static String recover(Path dir) throws IOException {
        dir = dir.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        String prefix = "." + dir.getFileName() + ".";
        List<Path> leftovers = new ArrayList<>();
        if (parent != null && Files.isDirectory(parent)) {
            try (var s = Files.list(parent)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(prefix + "tmp-") || n.startsWith(prefix + "old-")) leftovers.add(p);
                }
            }
        }
        if (leftovers.isEmpty()) return null;
        Path best = null;
        Provenance bestProv = null;
        for (Path p : concat(Files.exists(dir) ? List.of(dir) : List.of(), leftovers)) {
            try {
                Provenance v = load(p).provenance();
                if (bestProv == null || compare(v, bestProv) > 0) {
                    best = p;
                    bestProv = v;
                }
            } catch (CheckpointException e) {
                // incomplete or damaged: not a candidate
            }
        }
        String done;
        if (best == null || best.equals(dir)) {
            done = "removed " + leftovers.size() + " leftover(s) of interrupted checkpoint saves next to " + dir;
        } else {
            if (Files.exists(dir)) deleteTree(dir);
            Files.move(best, dir, StandardCopyOption.ATOMIC_MOVE);
            leftovers.remove(best);
            done = "recovered " + dir + " (step " + bestProv.step() + ", epoch " + bestProv.epoch() + " round "
                    + bestProv.round() + ") from " + best.getFileName() + ", left by an interrupted save";
        }
        for (Path p : leftovers) deleteTree(p);
        return done;
    }

    private static int compare(Provenance a, Provenance b) {
        int c = Long.compare(a.step(), b.step());
        if (c == 0) c = Integer.compare(a.epoch(), b.epoch());
        return c != 0 ? c : Integer.compare(a.round(), b.round());
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String abbreviate(List<String> l) {
        String s = l.toString();
        return s.length() > 300 ? s.substring(0, 300) + "...] (" + l.size() + " entries)" : s;
    }

    /** The files a checkpoint lists: params and normalizer, then the optional Adam state and parameter average. */
    private static List<String> files(boolean updater, boolean average) {
        List<String> f = new ArrayList<>(List.of(PARAMS, NORMALIZER));
        if (updater) f.add(UPDATER);
        if (average) f.add(AVERAGE);
        return f;
    }

    private static void checkFile(CheckpointSource src, String f, JsonNode meta, List<String> problems) {
        if (!src.exists(f)) {
            problems.add("missing file " + f);
            return;
        }
        if (meta.isMissingNode()) {
            problems.add(MANIFEST + " has no size/checksum entry for " + f);
            return;
        }
        try {
            long size = src.size(f), want = meta.path("bytes").asLong();
            if (size != want) problems.add(f + " has " + size + " bytes, " + MANIFEST + " says " + want + " (truncated or replaced?)");
            else {
                String sha;
                try (InputStream in = src.open(f)) {
                    sha = sha256(in);
                }
                if (!sha.equals(meta.path("sha256").asText()))
                    problems.add(f + " content does not match its SHA-256 in " + MANIFEST + " (corrupted or edited)");
            }
        } catch (IOException e) {
            problems.add("cannot read " + f + ": " + e);
        }
    }

    private static void writeArrays(Path file, List<INDArray> arrays) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (INDArray a : arrays) Nd4j.write(a, out);
        }
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return sha256(in);
        }
    }

    /** Hex SHA-256 of a stream's remaining bytes (the stream is read to its end, not closed). */
    public static String sha256(InputStream raw) throws IOException {
        try {
            InputStream in = new BufferedInputStream(raw);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            deleteTree(p);
        } catch (IOException ignored) {
            // best effort: a leftover hidden temp sibling never looks like a checkpoint (no rename happened)
        }
    }
}
