package io.smwm.data.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The one Jackson mapper of smwm-data, plus small JSON and file helpers. */
public final class Json {
    /** Pretty-printed, map keys sorted (stable files); unknown keys are ignored on read (forward compatible). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The value at key; fails naming the key if it is absent. */
    public static JsonNode need(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing JSON key '" + key + "'");
        }
        return v;
    }

    /** Writes a UTF-8 text file through the Hadoop FileSystem of path (overwriting). */
    public static void writeFile(Configuration conf, Path path, String text) {
        try {
            FileSystem fs = path.getFileSystem(conf);
            try (OutputStream out = fs.create(path, true)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** Reads a UTF-8 text file through the Hadoop FileSystem of path. */
    public static String readFile(Configuration conf, Path path) throws IOException {
        return readFile(conf, path, Integer.MAX_VALUE - 16);
    }

    /**
     * Reads a UTF-8 text file of at most maxBytes through the Hadoop FileSystem of path; a longer one is an
     * {@link IllegalArgumentException} naming the file and the limit (read no further than the limit). A file whose
     * Hadoop checksum (.crc) does not match is an IllegalArgumentException saying so.
     */
    public static String readFile(Configuration conf, Path path, long maxBytes) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        try (InputStream in = fs.open(path)) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int r; (r = in.read(buf)) > 0; ) {
                total += r;
                if (total > maxBytes) {
                    throw new IllegalArgumentException(path.getName() + " is larger than " + maxBytes
                            + " bytes, more than this format's metadata can be");
                }
                bos.write(buf, 0, r);
            }
            return bos.toString(StandardCharsets.UTF_8);
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            throw new IllegalArgumentException(path.getName() + " does not match its Hadoop checksum file ."
                    + path.getName() + ".crc (edited by hand or corrupted); restore it, or delete the .crc file if "
                    + "the edit was deliberate", e);
        }
    }
}
