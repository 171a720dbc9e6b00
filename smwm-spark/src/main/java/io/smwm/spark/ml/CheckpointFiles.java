package io.smwm.spark.ml;

import io.smwm.core.checkpoint.Checkpoint;
import io.smwm.core.checkpoint.CheckpointIO;
import io.smwm.core.model.WorldModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A checkpoint directory's files in memory (names and bytes): what an {@link SmwmEncoder} holds, saves and
 * broadcasts. Loading always goes through {@link CheckpointIO#load} (format, version, sizes, SHA-256 and shapes
 * checked); no Java serialisation is involved. {@link #model()} keeps one {@link WorldModel} per JVM and checkpoint
 * (keyed by the SHA-256 of all bytes), so every task of an executor shares one model.
 *
 * @param names file names (manifest.json, params.bin, ...), sorted
 * @param bytes their contents
 */
public record CheckpointFiles(String[] names, byte[][] bytes) {
    private static final Map<String, WorldModel> MODELS = new ConcurrentHashMap<>();

    /** Reads a local checkpoint directory ({@code RUN/checkpoint}). */
    public static CheckpointFiles read(Path dir) {
        try {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(p -> {
                    if (Files.isRegularFile(p)) files.add(p);
                });
            }
            files.sort(Comparator.comparing(p -> p.getFileName().toString()));
            String[] n = new String[files.size()];
            byte[][] b = new byte[files.size()][];
            for (int i = 0; i < n.length; i++) {
                n[i] = files.get(i).getFileName().toString();
                b[i] = Files.readAllBytes(files.get(i));
            }
            return new CheckpointFiles(n, b); // checked by load(), which SmwmEncoder's constructor calls
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads the files of a checkpoint directory on any Hadoop path. */
    public static CheckpointFiles read(Configuration conf, org.apache.hadoop.fs.Path dir) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        List<FileStatus> st = new ArrayList<>(List.of(fs.listStatus(dir)));
        st.sort(Comparator.comparing(s -> s.getPath().getName()));
        String[] n = new String[st.size()];
        byte[][] b = new byte[st.size()][];
        for (int i = 0; i < n.length; i++) {
            n[i] = st.get(i).getPath().getName();
            try (InputStream in = fs.open(st.get(i).getPath())) {
                b[i] = in.readAllBytes();
            }
        }
        return new CheckpointFiles(n, b);
    }

    /** Writes the files into dir (any Hadoop path). */
    public void write(Configuration conf, org.apache.hadoop.fs.Path dir) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        fs.mkdirs(dir);
        for (int i = 0; i < names.length; i++) {
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(dir, names[i]), true)) {
                out.write(bytes[i]);
            }
        }
    }

    /** The checkpoint, loaded from the files' bytes in memory with every check of a checkpoint on disk. */
    public Checkpoint load() {
        java.util.Map<String, byte[]> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) byName.put(names[i], bytes[i]);
        return CheckpointIO.load(byName, "(shipped with the stage)");
    }

    /** SHA-256 over the names and bytes: the identity of this checkpoint. */
    public String digest() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < names.length; i++) {
                d.update(names[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                d.update(bytes[i]);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This JVM's model for these files, loaded on first use. */
    public WorldModel model() {
        return MODELS.computeIfAbsent(digest(), k -> load().toModel());
    }
}
