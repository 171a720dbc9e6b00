package io.smwm.spark.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a {@link ModelRegistry}'s files live: a local directory ({@link LocalRegistryStore}: java.nio, OS file locks,
 * fsync, rename(2)) or a directory on a Hadoop path ({@link HadoopRegistryStore}). Paths are relative to the
 * registry, slash-separated. A version is always staged in a local directory (the candidate is trained there) and
 * published from it.
 */
interface RegistryStore {
    /** The registry as printed: an absolute path or a URI. */
    String location();

    /** {@code rel} as printed. */
    String location(String rel);

    boolean isFile(String rel) throws IOException;

    boolean isDirectory(String rel) throws IOException;

    /** Names in the directory {@code rel}; empty when it does not exist. */
    List<String> list(String rel) throws IOException;

    /**
     * A small file's bytes.
     *
     * @throws java.io.FileNotFoundException or {@link java.nio.file.NoSuchFileException} when it does not exist
     * @throws IllegalStateException when it is larger than {@code max}
     */
    byte[] read(String rel, long max) throws IOException;

    /** Writes a file completely or not at all (a reader sees the old or the new content). */
    void writeAtomically(String rel, byte[] bytes) throws IOException;

    /** Appends a line (callers hold the pointer lock). */
    void appendLine(String rel, String line) throws IOException;

    void mkdirs(String rel) throws IOException;

    /** The registry's one retraining job, or a {@link ModelRegistry.RegistryBusyException} naming the holder. */
    AutoCloseable lockJob(String what) throws IOException;

    /** The short lock around pointer changes (waits for it). */
    AutoCloseable lockPointer() throws IOException;

    /** A new local directory to build version {@code name} in. */
    Path newStaging(String name) throws IOException;

    /** Removes what killed jobs left (staging directories, unfinished uploads); the caller holds both locks. */
    void removeLeftovers() throws IOException;

    /** Publishes the staged directory as {@code versions/NAME}, atomically; it must not exist yet. */
    void publishVersion(Path staged, String name) throws IOException;

    /** Is {@code versions/NAME} a complete version? */
    boolean isVersion(String name) throws IOException;

    /** A local file or directory holding {@code rel} of the complete version {@code version} (a cached copy). */
    Path local(String version, String rel) throws IOException;

    /** A local copy of the registry-level file {@code rel} (e.g. benchmark.json); null when it does not exist. */
    Path localFile(String rel) throws IOException;

    /** The local directory of a local registry; null on a Hadoop path. */
    Path localDir();
}
