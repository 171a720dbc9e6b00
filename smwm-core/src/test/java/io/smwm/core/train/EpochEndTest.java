package io.smwm.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.loss.LossTerms;
import io.smwm.core.util.Seeds;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end of an epoch that both trainers share: the validation row, the collapse reading and its absence. */
class EpochEndTest {

    private static Learner learner() {
        var cfg = LocalTrainerTest.cfg(1.0);
        return new Learner(cfg.model(), cfg.loss(), cfg.train(), LocalTrainerTest.norm(),
                Seeds.derive(cfg.train().seed(), "init"));
    }

    @Test
    void close_validatesMeasuresAndWritesOneValRowWithTheExtras(@TempDir Path run) {
        Learner l = learner();
        LossTerms direct = l.evaluate(LocalTrainerTest.DATA[1], 64);
        try (MetricsLog m = MetricsLog.inRun(run)) {
            EpochEnd end = new EpochEnd(l, LocalTrainerTest.DATA[1], LocalTrainerTest.DATA[1], m);
            EpochSummary s = end.close(3, 42, new LossTerms(1, 0.5, 0.5), 123.0, null, Map.of("process_bytes", 7L));
            assertEquals(3, s.epoch());
            assertEquals(42, s.step());
            assertEquals(direct.total(), s.val().total(), 1e-6, "the validation loss is the learner's own");
            assertTrue(s.collapse().latentStd() > 0 && s.collapse().effectiveRank() >= 1, s.collapse().toString());
            List<Map<String, Object>> rows = m.rows();
            assertEquals(1, rows.size());
            Map<String, Object> row = rows.get(0);
            assertEquals("val", row.get("kind"));
            assertEquals(7L, ((Number) row.get("process_bytes")).longValue());
            for (String k : List.of("effective_rank", "latent_std", "significant_components", "pca_top",
                    "examples_per_s", LossTerms.INV))
                assertTrue(row.containsKey(k), "missing " + k + " in " + row);
        }
    }

    @Test
    void close_withoutValidationOrHeldOutFrames_reportsNaNAndAnUnmeasuredCollapse() {
        try (MetricsLog m = MetricsLog.none()) {
            EpochSummary s = new EpochEnd(learner(), null, null, m).close(1, 10, new LossTerms(1, 0.5, 0.5), 1.0,
                    null, Map.of());
            assertTrue(Double.isNaN(s.val().total()));
            assertTrue(Double.isNaN(s.collapse().latentStd()));
            assertEquals(-1, s.collapse().significantComponents());
            assertFalse(s.collapse().warning() != null);
        }
    }
}
