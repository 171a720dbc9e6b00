package io.smwm.spark.hadoop;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under a scheme of its own, the base of the test file systems that change one behaviour of
 * the local disk (who may resolve it, what rename and write do): a path is {@code SCHEME://} + its absolute local
 * path, and the file system's URI is {@code SCHEME:///}.
 */
abstract class SchemedLocalFileSystem extends RawLocalFileSystem {

    private final String scheme;

    SchemedLocalFileSystem(String scheme) {
        this.scheme = scheme;
    }

    /** {@code localAbsolutePath} under {@code scheme}. */
    static String uri(String scheme, String localAbsolutePath) {
        return scheme + "://" + localAbsolutePath;
    }

    @Override
    public URI getUri() {
        return URI.create(scheme + ":///");
    }

    @Override
    public String getScheme() {
        return scheme;
    }
}
