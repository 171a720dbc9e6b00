package io.smwm.data.testing;

import java.net.URI;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the {@code s3a} scheme, bucket {@value #BUCKET}: {@code s3a://smwm-test/ABS/PATH} is the
 * local ABS/PATH. A configuration from {@link #conf()} resolves s3a:// paths through the same Hadoop FileSystem calls
 * as S3A would, without S3.
 */
public class LocalAsS3a extends RawLocalFileSystem {
    public static final String BUCKET = "smwm-test";

    /** A configuration that maps s3a:// to this class (uncached). */
    public static Configuration conf() {
        Configuration c = new Configuration();
        c.set("fs.s3a.impl", LocalAsS3a.class.getName());
        c.setBoolean("fs.s3a.impl.disable.cache", true);
        return c;
    }

    /** The s3a:// URI of a local absolute path. */
    public static String uri(java.nio.file.Path local) {
        return "s3a://" + BUCKET + local.toAbsolutePath();
    }

    @Override
    public URI getUri() {
        return URI.create("s3a://" + BUCKET + "/");
    }

    @Override
    public String getScheme() {
        return "s3a";
    }

    /** Plain statuses, as an object store gives (the local ones read permissions through java.io.File). */
    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return plain(super.getFileStatus(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] s = super.listStatus(f);
        for (int i = 0; i < s.length; i++) {
            s[i] = plain(s[i]);
        }
        return s;
    }

    private static FileStatus plain(FileStatus s) {
        return new FileStatus(s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
    }
}
