package io.smwm.spark.hadoop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local disk under {@value #SCHEME}, behaving as an object store does where it matters here: a written file
 * (object) appears only when its stream is closed, whole, replacing the old one at once (S3's PUT), and there is no
 * rename: {@link #rename} throws, so code that relied on it for atomicity fails. {@link #register} makes a
 * configuration resolve the scheme and give it {@link HadoopStore.Commit#MARKER} commits ({@code smwm.fs.SCHEME.commit});
 * {@link #registerSystemWide} does the same through {@code spark.hadoop.*} system properties, which
 * {@link HadoopStore#driverConf()} and Spark read.
 */
public class ObjectStoreFileSystem extends SchemedLocalFileSystem {
    public static final String SCHEME = "smwmobjstore";
    public static final AtomicLong RENAMES = new AtomicLong();

    public static void register(Configuration conf) {
        conf.set("fs." + SCHEME + ".impl", ObjectStoreFileSystem.class.getName());
        conf.set("smwm.fs." + SCHEME + ".commit", "marker");
    }

    public static void registerSystemWide() {
        System.setProperty("spark.hadoop.fs." + SCHEME + ".impl", ObjectStoreFileSystem.class.getName());
        System.setProperty("spark.hadoop.smwm.fs." + SCHEME + ".commit", "marker");
    }

    public static void unregisterSystemWide() {
        System.clearProperty("spark.hadoop.fs." + SCHEME + ".impl");
        System.clearProperty("spark.hadoop.smwm.fs." + SCHEME + ".commit");
    }

    /** {@code localAbsolutePath} under this scheme. */
    public static String uri(String localAbsolutePath) {
        return uri(SCHEME, localAbsolutePath);
    }

    public ObjectStoreFileSystem() {
        super(SCHEME);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        RENAMES.incrementAndGet();
        throw new IOException("rename " + src + " -> " + dst + ": an object store has no atomic rename");
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return put(f, overwrite);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return put(f, overwrite);
    }

    /** A stream to a hidden local file outside the tree, moved into place atomically on close. */
    private FSDataOutputStream put(Path f, boolean overwrite) throws IOException {
        java.nio.file.Path target = pathToFile(f).toPath();
        if (!overwrite && Files.exists(target))
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(f + " already exists");
        Files.createDirectories(target.getParent());
        java.nio.file.Path upload = Files.createTempFile("smwm-objstore-upload-", "-" + UUID.randomUUID());
        OutputStream out = Files.newOutputStream(upload);
        return new FSDataOutputStream(new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) return;
                closed = true;
                out.close();
                Files.move(upload, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }, null);
    }
}
