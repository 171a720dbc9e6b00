package io.smwm.spark.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smwm.spark.registry.ModelRegistry;
import io.smwm.spark.registry.RegistryJob;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3a:// for real, against a local S3 mock server: runs only with the s3 profile ({@code ./mvnw -Ps3}, hadoop-aws on
 * the class path) and where {@code moto_server} (Python moto, no network needed) is on the PATH; skipped otherwise.
 * Starts the server on a free loopback port, makes a bucket, then publishes and replaces a directory and runs a
 * registry's commits, pointer and rollback through S3AFileSystem in marker mode (the default for s3a).
 */
@Tag("spark")
class S3aMockServerTest {

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }

    @Test
    void directoriesAndARegistry_onS3a(@TempDir Path dir) throws Exception {
        boolean s3a;
        try {
            Class.forName("org.apache.hadoop.fs.s3a.S3AFileSystem");
            s3a = true;
        } catch (ClassNotFoundException e) {
            s3a = false;
        }
        assumeTrue(s3a, "hadoop-aws is not on the classpath (build with -Ps3)");
        assumeTrue(onPath("moto_server"), "no moto_server on the PATH");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("moto.log").toFile()).start();
        try {
            String endpoint = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            int status = -1;
            for (int i = 0; i < 100 && status != 200; i++) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/smwm-test"))
                            .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    Thread.sleep(200); // not listening yet
                }
            }
            assertEquals(200, status, "bucket created on the mock server");
            Configuration c = new Configuration();
            c.set("fs.s3a.endpoint", endpoint);
            c.set("fs.s3a.path.style.access", "true");
            c.set("fs.s3a.connection.ssl.enabled", "false");
            c.set("fs.s3a.access.key", "test");
            c.set("fs.s3a.secret.key", "test");
            c.set("fs.s3a.endpoint.region", "us-east-1");
            c.setBoolean("fs.s3a.impl.disable.cache", true);

            HadoopStore st = HadoopStore.open("--out", "s3a://smwm-test/run", c);
            assertEquals(HadoopStore.Commit.MARKER, st.mode());
            for (int g = 1; g <= 3; g++) {
                Path d = Files.createDirectories(dir.resolve("gen" + g + "/sub"));
                Files.writeString(d.resolve("generation"), Integer.toString(g));
                st.publishDir("checkpoint", d.getParent());
                st.writeFile("current", ("v" + g + "\n").getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(st.fetchDir("checkpoint", dir.resolve("copy")));
            assertEquals("3", Files.readString(dir.resolve("copy/sub/generation")));
            assertEquals(List.of("checkpoint", "current"), st.list(""), "no .next copy or temporary left");
            assertEquals("v3\n", new String(st.read("current", 64), StandardCharsets.UTF_8));

            // a registry: commits, pointer, rollback (ModelRegistry opens through the driver's configuration)
            c.forEach(e -> {
                if (e.getKey().startsWith("fs.s3a.")) System.setProperty("spark.hadoop." + e.getKey(), e.getValue());
            });
            try {
                ModelRegistry reg = ModelRegistry.openOrCreate("s3a://smwm-test/reg");
                try (RegistryJob job = reg.startJob("s3a test")) {
                    for (boolean promote : List.of(true, true, false)) {
                        ModelRegistry.Staging s = job.stage();
                        Files.createDirectories(s.dir().resolve("checkpoint"));
                        Files.writeString(s.dir().resolve("checkpoint/params.bin"), s.name());
                        job.commit(s, cur -> new ModelRegistry.Decision(promote, Map.of("summary", "x")));
                    }
                }
                ModelRegistry again = ModelRegistry.open("s3a://smwm-test/reg");
                assertEquals(List.of("v1", "v2", "v3"), again.versions().stream().map(ModelRegistry.Version::name)
                        .toList());
                assertEquals("v2", again.current().orElseThrow().name());
                assertEquals("v2", Files.readString(again.current().orElseThrow().checkpoint().resolve("params.bin")));
                assertEquals("v1", again.rollback(null).name());
                assertTrue(HadoopStore.open("--registry", "s3a://smwm-test/reg", c)
                        .isFile("versions/v3/" + HadoopStore.COMMITTED));
            } finally {
                c.forEach(e -> {
                    if (e.getKey().startsWith("fs.s3a.")) System.clearProperty("spark.hadoop." + e.getKey());
                });
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
    }
}
