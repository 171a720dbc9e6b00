package io.smwm.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.testing.MovingSquare;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A checkpoint saved by format version 1 (src/test/resources/golden-checkpoint-v1) must keep loading and give the
 * recorded encode() output. {@link GoldenCheckpointWriter} wrote it; rerun that tool ONLY when deliberately changing
 * the format (then bump the version and add a new golden directory beside this one).
 */
class GoldenCheckpointTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DIR = "golden-checkpoint-v1";

    static byte[][] frames() {
        return new byte[][]{MovingSquare.render(16, 3, 5), MovingSquare.render(16, 10, 2), MovingSquare.render(16, 0, 12)};
    }

    @Test
    void goldenV1_loadsAndEncodesAsRecorded() throws Exception {
        Path dir = Path.of(getClass().getResource("/" + DIR + "/manifest.json").toURI()).getParent();
        Checkpoint c = CheckpointIO.load(dir);
        JsonNode expected = JSON.readTree(dir.getParent().resolve(DIR + "-expected.json").toFile());
        INDArray z = c.toModel().encode(frames());
        float[][] zz = z.toFloatMatrix();
        JsonNode rows = expected.get("encode");
        assertEquals(rows.size(), zz.length);
        for (int i = 0; i < zz.length; i++)
            for (int j = 0; j < zz[i].length; j++)
                assertEquals(rows.get(i).get(j).floatValue(), zz[i][j], 1e-5f, "z[" + i + "][" + j + "]");
        assertEquals(expected.get("step").asLong(), c.updater().step());
        assertEquals("golden", c.provenance().tableFingerprint());
    }
}
