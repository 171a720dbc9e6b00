package io.smwm.spark.run;

import io.smwm.core.util.UserError;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer at a time for an output directory: an exclusive OS file lock on {@code DIR/}{@value #NAME}, held while a
 * command writes into DIR and released when it ends or dies (so a killed command never leaves a stale lock). The file
 * stays behind (hidden, a few bytes: who holds or last held it); {@link RunDirs} ignores it when deciding whether a
 * directory is empty. Local file systems only, like every output directory of train, evaluate and diagnose.
 */
public final class RunLock implements AutoCloseable {
    public static final String NAME = ".smwm.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates dir if needed and locks it for {@code what} (e.g. "smwm train").
     *
     * @throws UserError if another process (or this one) holds the lock, naming the holder and the fix
     */
    public static RunLock acquire(Path dir, String what) throws IOException {
        RunLock l = tryAcquire(dir, what);
        if (l == null) {
            String holder;
            try {
                holder = Files.readString(dir.resolve(NAME), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                holder = "?";
            }
            throw new UserError(dir + " is in use by another smwm process (" + (holder.isEmpty() ? "?" : holder)
                    + "); wait for it to finish or choose another output directory");
        }
        return l;
    }

    /** As {@link #acquire}, but null when the directory is locked. */
    public static RunLock tryAcquire(Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM
        }
        if (l == null) {
            ch.close();
            return null;
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((what + ", pid " + ProcessHandle.current().pid() + " on "
                + ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^\\d+@", "") + ", since "
                + Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z") + "\n").getBytes(StandardCharsets.UTF_8)));
        ch.force(false);
        return new RunLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
