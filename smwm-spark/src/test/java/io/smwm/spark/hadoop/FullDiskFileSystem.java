package io.smwm.spark.hadoop;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local file system under {@value #SCHEME}, with a disk that fills up: once {@link #CAPACITY} bytes have been
 * written through it (over all instances), every write fails with "No space left on device", as a full disk does.
 */
public class FullDiskFileSystem extends SchemedLocalFileSystem {
    public static final String SCHEME = "smwmfulldisk";
    public static final long CAPACITY = 20_000;
    static final AtomicLong WRITTEN = new AtomicLong();

    public FullDiskFileSystem() {
        super(SCHEME);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        return filling(super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        return filling(super.create(f, overwrite, bufferSize, replication, blockSize, progress));
    }

    private static FSDataOutputStream filling(FSDataOutputStream out) throws IOException {
        return new FSDataOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (WRITTEN.addAndGet(len) > CAPACITY) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        }, null);
    }
}
