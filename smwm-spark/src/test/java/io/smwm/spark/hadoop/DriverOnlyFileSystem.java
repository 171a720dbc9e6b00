package io.smwm.spark.hadoop;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;

/**
 * The local file system under a scheme that only a configuration naming it can resolve: a test sets
 * {@link #register} on the driver's Hadoop configuration, and a task that opened paths with a default
 * {@code new Configuration()} fails with "No FileSystem for scheme". Counts the files opened through it.
 */
public class DriverOnlyFileSystem extends SchemedLocalFileSystem {
    public static final String SCHEME = "smwmdriveronly";
    public static final AtomicLong OPENS = new AtomicLong();

    /** Makes {@code conf} resolve {@link #SCHEME}, uncached (a cached instance would hide a missing entry). */
    public static void register(Configuration conf) {
        conf.set("fs." + SCHEME + ".impl", DriverOnlyFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
    }

    public static void unregister(Configuration conf) {
        conf.unset("fs." + SCHEME + ".impl");
        conf.unset("fs." + SCHEME + ".impl.disable.cache");
    }

    /** {@code localAbsolutePath} under this scheme. */
    public static String uri(String localAbsolutePath) {
        return uri(SCHEME, localAbsolutePath);
    }

    public DriverOnlyFileSystem() {
        super(SCHEME);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        OPENS.incrementAndGet();
        return super.open(f, bufferSize);
    }
}
