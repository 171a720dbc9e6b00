package io.smwm.spark.hadoop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory's commit marker ({@value HadoopStore#COMMITTED}, written last): its generation (one more than any
 * copy's before it) and every file's size and SHA-256 by slash-separated relative path. Stored as a small JSON
 * document of schema {@value HadoopStore#COMMIT_SCHEMA}.
 */
public record CommitMarker(long generation, Map<String, FileSum> files) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One file's size in bytes and SHA-256 (lower-case hex). */
    public record FileSum(long bytes, String sha256) {}

    /** Reads a marker's JSON; {@code where} names it in the error when it is not one. */
    static CommitMarker parse(byte[] json, String where) throws IOException {
        JsonNode m = JSON.readTree(json);
        if (!HadoopStore.COMMIT_SCHEMA.equals(m.path("schema").asText()))
            throw new IOException(where + " is not a commit marker");
        Map<String, FileSum> files = new TreeMap<>();
        m.path("files").fields().forEachRemaining(e -> files.put(e.getKey(),
                new FileSum(e.getValue().path("bytes").asLong(-1), e.getValue().path("sha256").asText())));
        return new CommitMarker(m.path("generation").asLong(0), files);
    }

    /** The marker's JSON, stamped with the time of writing. */
    byte[] toJson() throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("schema", HadoopStore.COMMIT_SCHEMA);
        m.put("schema_version", 1);
        m.put("generation", generation);
        m.put("committed_utc", Instant.now().toString());
        ObjectNode out = m.putObject("files");
        files.forEach((k, v) -> {
            ObjectNode f = out.putObject(k);
            f.put("bytes", v.bytes());
            f.put("sha256", v.sha256());
        });
        return JSON.writeValueAsBytes(m);
    }

    /** The sums of every file under the local directory {@code local} that is published (not a marker, not a lock). */
    static Map<String, FileSum> sums(java.nio.file.Path local) throws IOException {
        Map<String, FileSum> out = new LinkedHashMap<>();
        try (Stream<java.nio.file.Path> w = java.nio.file.Files.walk(local)) {
            for (java.nio.file.Path f : w.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                String r = local.relativize(f).toString().replace('\\', '/');
                if (r.equals(HadoopStore.COMMITTED) || HadoopStore.LOCAL_ONLY.contains(f.getFileName().toString()))
                    continue;
                try (InputStream in = java.nio.file.Files.newInputStream(f)) {
                    out.put(r, sum(in));
                }
            }
        }
        return out;
    }

    /** The size and SHA-256 of everything {@code in} holds (read to its end). */
    static FileSum sum(InputStream in) throws IOException {
        MessageDigest d = sha256();
        long n = 0;
        byte[] buf = new byte[1 << 16];
        for (int r; (r = in.read(buf)) > 0; ) {
            d.update(buf, 0, r);
            n += r;
        }
        return new FileSum(n, HexFormat.of().formatHex(d.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
