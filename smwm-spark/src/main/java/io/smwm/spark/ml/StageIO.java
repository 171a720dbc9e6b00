package io.smwm.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import scala.collection.JavaConverters;

/**
 * Persistence of SMWM's Spark ML stages in Spark's own layout, so Pipeline and PipelineModel save and load them:
 * {@code PATH/metadata/part-00000} is one line of JSON with Spark's keys ({@code class, timestamp, sparkVersion, uid,
 * paramMap, defaultParamMap}, each param as its {@code jsonEncode}) plus {@code smwmFormat} and
 * {@code smwmFormatVersion} ({@value #FORMAT_VERSION}); a stage's data goes under {@code PATH/data/}. Loading
 * refuses another class, another format or an unknown version.
 */
final class StageIO {
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StageIO() {}

    static void saveMetadata(Params stage, String format, String path, Configuration conf, String sparkVersion)
            throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("class", stage.getClass().getName());
        m.put("timestamp", System.currentTimeMillis());
        m.put("sparkVersion", sparkVersion);
        m.put("uid", stage.uid());
        m.put("smwmFormat", format);
        m.put("smwmFormatVersion", FORMAT_VERSION);
        m.set("paramMap", params(stage.extractParamMap().toSeq(), stage, false));
        m.set("defaultParamMap", params(stage.extractParamMap().toSeq(), stage, true));
        Path file = new Path(new Path(path, "metadata"), "part-00000");
        FileSystem fs = file.getFileSystem(conf);
        try (OutputStream out = fs.create(file, true)) {
            out.write((JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ObjectNode params(scala.collection.Seq<ParamPair<?>> pairs, Params stage, boolean defaults) {
        ObjectNode out = JSON.createObjectNode();
        for (ParamPair<?> pp : JavaConverters.seqAsJavaList(pairs)) {
            Param p = pp.param();
            boolean isDefault = !stage.isSet(p);
            if (isDefault == defaults) {
                Object v = defaults ? stage.getDefault(p).get() : stage.get(p).get();
                try {
                    out.set(p.name(), JSON.readTree(p.jsonEncode(v)));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot encode param " + p.name(), e);
                }
            }
        }
        return out;
    }

    /** Reads and checks PATH/metadata; returns it. */
    static JsonNode loadMetadata(String path, Class<?> expected, String format, Configuration conf)
            throws IOException {
        Path file = new Path(new Path(path, "metadata"), "part-00000");
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new IllegalArgumentException("no Spark ML stage at " + path + " (missing metadata/part-00000)");
        }
        JsonNode m;
        try (InputStream in = fs.open(file)) {
            m = JSON.readTree(in);
        }
        if (!expected.getName().equals(m.path("class").asText())) {
            throw new IllegalArgumentException(path + " holds a " + m.path("class").asText() + ", not a "
                    + expected.getName());
        }
        if (!format.equals(m.path("smwmFormat").asText())) {
            throw new IllegalArgumentException(path + ": smwmFormat '" + m.path("smwmFormat").asText()
                    + "', expected '" + format + "'");
        }
        int v = m.path("smwmFormatVersion").asInt(-1);
        if (v != FORMAT_VERSION) {
            throw new IllegalArgumentException(path + ": smwmFormatVersion " + m.path("smwmFormatVersion")
                    + " is not supported by this build (reads " + FORMAT_VERSION + "); use the smwm version that "
                    + "saved it");
        }
        return m;
    }

    /** Sets stage's params from the metadata (user-set ones set, defaults as defaults). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void setParams(Params stage, JsonNode m) {
        for (String key : new String[] {"defaultParamMap", "paramMap"}) {
            m.path(key).fields().forEachRemaining(e -> {
                if (!stage.hasParam(e.getKey())) {
                    throw new IllegalArgumentException("saved param '" + e.getKey() + "' is unknown to "
                            + stage.getClass().getSimpleName());
                }
                Param p = stage.getParam(e.getKey());
                Object v = p.jsonDecode(e.getValue().toString());
                if (key.equals("paramMap")) {
                    stage.set(p, v);
                }
            });
        }
    }
}
