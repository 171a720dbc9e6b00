package io.smwm.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.model.WorldModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tool, not a test: writes the golden checkpoint that {@link GoldenCheckpointTest} loads ({@code DIR/golden-checkpoint-v1}
 * and {@code DIR/golden-checkpoint-v1-expected.json}, the encode() output of three fixed frames). Run it ONLY when
 * deliberately changing the checkpoint format, then bump the format version and keep the old golden directory
 * beside the new one. From the repository root:
 * <pre>
 * ./mvnw -B -q -o -pl smwm-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp smwm-core/target/test-classes:smwm-core/target/classes:$(cat smwm-core/target/cp.txt) \
 *     io.smwm.core.checkpoint.GoldenCheckpointWriter smwm-core/src/test/resources
 * </pre>
 */
public final class GoldenCheckpointWriter {
    private GoldenCheckpointWriter() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GoldenCheckpointWriter RESOURCE_DIR (e.g. smwm-core/src/test/resources)");
            System.exit(2);
        }
        Path res = Path.of(args[0]);
        String dir = GoldenCheckpointTest.DIR;
        Checkpoint t = CheckpointIOTest.trained();
        Checkpoint c = new Checkpoint(t.config(), t.normalizer(), t.params(), t.updater(),
                Provenance.of("golden", 9, "", t.updater().step(), 1));
        CheckpointIO.save(c, res.resolve(dir), true);
        WorldModel m = CheckpointIO.load(res.resolve(dir)).toModel();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("encode", m.encode(GoldenCheckpointTest.frames()).toFloatMatrix());
        e.put("step", c.updater().step());
        Files.writeString(res.resolve(dir + "-expected.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(e));
        System.out.println("wrote " + res.resolve(dir) + " and " + res.resolve(dir + "-expected.json"));
    }
}
