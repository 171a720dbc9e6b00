package io.smwm.data.generate;

import io.smwm.core.env.EnvSpec;
import io.smwm.data.table.Fingerprint;
import io.smwm.data.table.StatsAccumulator;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectorySchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a staging directory full of part files into a table at its final place, atomically. Protocol (driver
 * side): {@link #checkOutput} before any work, write parts into {@link #stagingDirFor}(out) with
 * {@link PartWriter}, then {@link #commit}. The table appears at outDir by one directory rename, so readers see
 * either no table, the old one, or the complete new one.
 */
public final class TableCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(TableCommitter.class);

    private TableCommitter() {}

    /** A fresh hidden sibling of outDir: {@code <parent>/.<name>.tmp-<uuid>}. */
    public static String stagingDirFor(String outDir) {
        Path out = new Path(outDir);
        if (out.getParent() == null) {
            throw new IllegalArgumentException("output must not be a filesystem root, got " + outDir);
        }
        return new Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID()).toString();
    }

    /**
     * Fails before any work if outDir exists and overwrite is false ({@link io.smwm.core.util.UserError} naming
     * --overwrite), or if overwrite is true but outDir is something other than a trajectory table or an empty
     * directory ({@link IllegalArgumentException}: never delete what we did not write), which includes a table that
     * holds anything besides meta/ and data/ (a run trained into it, say). I/O errors are {@link UncheckedIOException}.
     */
    public static void checkOutput(Configuration conf, String outDir, boolean overwrite) {
        try {
            Path out = new Path(outDir);
            FileSystem fs = out.getFileSystem(conf);
            if (!fs.exists(out)) {
                return;
            }
            if (!overwrite) {
                throw new io.smwm.core.util.UserError("output " + outDir + " already exists; pass --overwrite to "
                        + "replace it, or choose another output path");
            }
            FileStatus st = fs.getFileStatus(out);
            boolean isTable = st.isDirectory() && fs.exists(new Path(out, TrajectorySchema.INFO_JSON));
            boolean empty = st.isDirectory() && fs.listStatus(out).length == 0;
            if (!isTable && !empty) {
                throw new IllegalArgumentException("--overwrite refuses to replace " + outDir + ": it is not a "
                        + "trajectory table (no " + TrajectorySchema.INFO_JSON + ") nor an empty directory; "
                        + "remove it yourself or choose another output path");
            }
            List<String> foreign = isTable ? foreignEntries(fs, out) : List.of();
            if (!foreign.isEmpty()) {
                throw new IllegalArgumentException("--overwrite refuses to replace " + outDir + ": besides the table "
                        + "it holds " + foreign + (foreign.size() == MAX_LISTED ? " and more" : "") + ", which "
                        + "generate did not write (a run trained into it?); move them out or choose another output path");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check output " + outDir + ": " + e.getMessage(), e);
        }
    }

    private static final int MAX_LISTED = 5;

    /**
     * Entries of a table directory that a table does not have: anything at the top but meta/ and data/, anything in
     * meta/ but info.json and stats.json, anything in data/ but part files; hidden and _-prefixed files (checksums,
     * markers) do not count. At most {@value #MAX_LISTED}, relative to out.
     */
    static List<String> foreignEntries(FileSystem fs, Path out) throws IOException {
        List<String> foreign = new ArrayList<>();
        for (FileStatus st : fs.listStatus(out)) {
            String n = st.getPath().getName();
            if (n.equals(TrajectorySchema.META_DIR) && st.isDirectory()) {
                for (FileStatus m : fs.listStatus(st.getPath())) {
                    String mn = m.getPath().getName();
                    if (!(m.isFile() && (mn.equals("info.json") || mn.equals("stats.json") || mn.startsWith(".")))) {
                        foreign.add(n + "/" + mn);
                    }
                }
            } else if (n.equals(TrajectorySchema.DATA_DIR) && st.isDirectory()) {
                for (FileStatus d : fs.listStatus(st.getPath())) {
                    String dn = d.getPath().getName();
                    if (!(d.isFile() && (TrajectorySchema.PART_FILE.matcher(dn).matches() || dn.startsWith(".")
                            || dn.startsWith("_")))) {
                        foreign.add(n + "/" + dn);
                    }
                }
            } else if (!(st.isFile() && (n.startsWith(".") || n.startsWith("_")))) {
                foreign.add(n);
            }
            if (foreign.size() >= MAX_LISTED) {
                return foreign.subList(0, MAX_LISTED);
            }
        }
        return foreign;
    }

    /**
     * Checks that all spec.parts() parts are in staging with the reported sizes, removes leftovers of failed
     * attempts, writes meta/info.json and meta/stats.json, and renames staging to outDir (moving an existing table
     * aside first when overwrite, deleting it only after the rename succeeded).
     *
     * @param parts one result per part, any order
     * @return the metadata written
     */
    public static TableMetadata commit(Configuration conf, String stagingDir, String outDir, GenerationSpec spec,
                                       EnvSpec envSpec, List<PartResult> parts, boolean overwrite) {
        try {
            List<PartResult> sorted = new ArrayList<>(parts);
            sorted.sort(Comparator.comparingInt(PartResult::part));
            Path staging = new Path(stagingDir);
            FileSystem fs = staging.getFileSystem(conf);
            checkParts(fs, staging, spec, sorted);
            removeLeftovers(fs, new Path(staging, TrajectorySchema.DATA_DIR));
            TableMetadata md = metadata(spec, envSpec, sorted);
            StatsAccumulator action = new StatsAccumulator(envSpec.actionDim());
            StatsAccumulator state = new StatsAccumulator(envSpec.stateDim());
            for (PartResult p : sorted) {
                action.merge(p.actionStats());
                state.merge(p.stateStats());
            }
            fs.mkdirs(new Path(staging, TrajectorySchema.META_DIR));
            TableStats.of(action, state).write(conf, stagingDir);
            md.write(conf, stagingDir);
            StagingLeftovers.release(fs, staging);
            moveIntoPlace(conf, fs, staging, new Path(outDir), overwrite);
            LOG.info("committed table {}: {} episodes, {} frames, {} files, {}", outDir, md.episodes(), md.frames(),
                    md.files().size(), md.fingerprint());
            return md;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit table " + outDir + " from " + stagingDir, e);
        }
    }

    private static void checkParts(FileSystem fs, Path staging, GenerationSpec spec, List<PartResult> sorted)
            throws IOException {
        List<String> problems = new ArrayList<>();
        if (sorted.size() != spec.parts()) {
            problems.add("expected " + spec.parts() + " part results, got " + sorted.size());
        }
        for (int i = 0; i < sorted.size(); i++) {
            PartResult p = sorted.get(i);
            if (p.part() != i) {
                problems.add("part " + i + " is missing or duplicated (found part " + p.part() + " at position " + i + ")");
                break;
            }
            GenerationSpec.EpisodeRange r = spec.partEpisodes(i);
            if (p.firstEpisode() != r.first() || p.lastEpisode() != r.last()) {
                problems.add("part " + i + " holds episodes " + p.firstEpisode() + ".." + p.lastEpisode()
                        + ", expected " + r.first() + ".." + r.last());
            }
            Path f = new Path(new Path(staging, TrajectorySchema.DATA_DIR), p.file());
            if (!p.file().equals(TrajectorySchema.partFileName(i)) || !fs.exists(f)) {
                problems.add("part " + i + " file " + f + " does not exist");
            } else if (fs.getFileStatus(f).getLen() != p.bytes()) {
                problems.add("part " + i + " file " + f + " has " + fs.getFileStatus(f).getLen()
                        + " bytes, the writer reported " + p.bytes());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("cannot commit " + staging + ": " + String.join("; ", problems));
        }
    }

    private static void removeLeftovers(FileSystem fs, Path dataDir) throws IOException {
        for (FileStatus st : fs.listStatus(dataDir)) {
            if (!TrajectorySchema.PART_FILE.matcher(st.getPath().getName()).matches()) {
                fs.delete(st.getPath(), true);
            }
        }
    }

    /** The metadata of a table made from spec, envSpec and all its parts (sorted by part). */
    public static TableMetadata metadata(GenerationSpec spec, EnvSpec envSpec, List<PartResult> sorted) {
        List<String> hashes = new ArrayList<>();
        List<TableMetadata.FileEntry> files = new ArrayList<>();
        long frames = 0, episodes = 0;
        for (PartResult p : sorted) {
            hashes.addAll(p.episodeHashes());
            files.add(new TableMetadata.FileEntry(TrajectorySchema.DATA_DIR + "/" + p.file(), p.firstEpisode(),
                    p.lastEpisode(), p.episodes(), p.frames()));
            frames += p.frames();
            episodes += p.episodes();
        }
        return new TableMetadata(TrajectorySchema.FORMAT, TrajectorySchema.FORMAT_VERSION,
                new TableMetadata.Env(envSpec.id(), envSpec.variant(), new java.util.TreeMap<>(envSpec.params()),
                        envSpec.distractors()),
                new TableMetadata.Image(envSpec.imageHeight(), envSpec.imageWidth(), TrajectorySchema.CHANNELS,
                        TrajectorySchema.IMAGE_ENCODING),
                new TableMetadata.Action(envSpec.actionDim(), envSpec.actionLow(), envSpec.actionHigh()),
                new TableMetadata.State(envSpec.stateDim(), envSpec.stateNames()),
                new TableMetadata.DistractorState(envSpec.distractorStateDim()),
                spec.frameskip(), episodes, frames, spec.steps(),
                new TableMetadata.Generator(spec.seed(), policyName(spec),
                        spec.episodesPerFile(), TableMetadata.toolVersion(),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()),
                Fingerprint.ofHex(hashes), files);
    }

    /** The spec's policy, or the registry's default for its env ("default" for envs outside the registry). */
    private static String policyName(GenerationSpec spec) {
        if (spec.policy() != null) {
            return spec.policy();
        }
        return io.smwm.core.env.catalog.Environments.ids().contains(spec.envId())
                ? io.smwm.core.env.catalog.Environments.task(spec.envId()).defaultPolicy() : "default";
    }

    /**
     * Renames staging to out: an existing out (allowed by {@link #checkOutput}) is moved aside first and deleted only
     * after the rename succeeded.
     */
    public static void moveIntoPlace(Configuration conf, FileSystem fs, Path staging, Path out, boolean overwrite)
            throws IOException {
        checkOutput(conf, out.toString(), overwrite);
        Path old = null;
        if (fs.exists(out)) {
            old = new Path(out.getParent(), "." + out.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(out, old)) {
                throw new IOException("cannot move the existing table " + out + " aside to " + old);
            }
        } else if (out.getParent() != null) {
            fs.mkdirs(out.getParent());
        }
        if (!fs.rename(staging, out)) {
            if (old != null && !fs.rename(old, out)) {
                throw new IOException("cannot rename " + staging + " to " + out + ", and cannot restore the old "
                        + "table from " + old + "; it is still there");
            }
            throw new IOException("cannot rename " + staging + " to " + out);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }
}
