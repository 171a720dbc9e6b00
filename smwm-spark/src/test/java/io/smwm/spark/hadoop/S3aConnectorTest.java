package io.smwm.spark.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With the s3 profile ({@code ./mvnw -Ps3}), s3a:// resolves to hadoop-aws's S3AFileSystem next to Spark's Hadoop
 * client (no request is sent: anonymous credentials, no bucket probe). Skipped in the default build. The table code
 * path on s3a:// URIs is tested in smwm-data's S3aPathTest.
 */
@Tag("spark")
class S3aConnectorTest {
    @Test
    void s3aScheme_resolvesToS3AFileSystem_withTheS3Profile() throws Exception {
        boolean present;
        try {
            Class.forName("org.apache.hadoop.fs.s3a.S3AFileSystem");
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        assumeTrue(present, "hadoop-aws is not on the classpath (build with -Ps3)");
        Configuration conf = new Configuration();
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:9");
        conf.set("fs.s3a.bucket.probe", "0");
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        try (FileSystem fs = FileSystem.get(URI.create("s3a://smwm-test/"), conf)) {
            assertEquals("org.apache.hadoop.fs.s3a.S3AFileSystem", fs.getClass().getName());
        }
    }
}
