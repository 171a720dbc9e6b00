package io.smwm.core.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a checkpoint's files are read from: a directory, or their bytes in memory (e.g. broadcast to Spark
 * executors). {@link CheckpointIO#load(CheckpointSource)} reads every checkpoint through this, with the same checks.
 */
public interface CheckpointSource {
    /** Names the checkpoint in messages, e.g. "checkpoint runs/x/checkpoint". */
    String describe();

    boolean exists(String name);

    long size(String name) throws IOException;

    InputStream open(String name) throws IOException;

    /** The files of directory {@code dir}. */
    static CheckpointSource of(Path dir) {
        return new CheckpointSource() {
            @Override public String describe() { return "checkpoint " + dir; }
            @Override public boolean exists(String name) { return Files.isRegularFile(dir.resolve(name)); }
            @Override public long size(String name) throws IOException { return Files.size(dir.resolve(name)); }
            @Override public InputStream open(String name) throws IOException {
                return Files.newInputStream(dir.resolve(name));
            }
        };
    }

    /** Files held in memory by name ({@code label} names them in messages). */
    static CheckpointSource of(Map<String, byte[]> files, String label) {
        Map<String, byte[]> copy = Map.copyOf(files);
        return new CheckpointSource() {
            @Override public String describe() { return "checkpoint " + label; }
            @Override public boolean exists(String name) { return copy.containsKey(name); }
            @Override public long size(String name) throws IOException { return bytes(name).length; }
            @Override public InputStream open(String name) throws IOException {
                return new ByteArrayInputStream(bytes(name));
            }

            private byte[] bytes(String name) throws IOException {
                byte[] b = copy.get(name);
                if (b == null) throw new java.io.FileNotFoundException(name);
                return b;
            }
        };
    }
}
