package io.smwm.data.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** The episode split, and the sample of its held-out episodes an epoch's validation reads. */
class EpisodeSplitTest {

    private static List<Long> kept(LongPredicate p, long n) {
        List<Long> out = new ArrayList<>();
        for (long e = 0; e < n; e++) if (p.test(e)) out.add(e);
        return out;
    }

    @Test
    void split_holdsOutRoundedFraction_disjointFromTraining_seeded() {
        EpisodeSplit s = EpisodeSplit.of(200, 0.1, 5L);
        assertEquals(20, s.validationEpisodes());
        assertEquals(180, s.trainingEpisodes());
        for (long e = 0; e < 200; e++) assertTrue(s.isValidation(e) ^ s.isTraining(e));
        assertEquals(kept(s::isValidation, 200), kept(EpisodeSplit.of(200, 0.1, 5L)::isValidation, 200));
        assertFalse(kept(s::isValidation, 200).equals(kept(EpisodeSplit.of(200, 0.1, 6L)::isValidation, 200)));
    }

    @Test
    void validationSample_keepsTheLowestNumberedHeldOutEpisodes_neverTrainingOnes() {
        EpisodeSplit s = EpisodeSplit.of(200, 0.1, 5L);
        List<Long> all = kept(s::isValidation, 200);
        List<Long> seven = kept(s.validationSample(7), 200);
        assertEquals(all.subList(0, 7), seven);
        assertEquals(7, s.validationSampleSize(7));
        for (long e : seven) assertTrue(s.isValidation(e));
        assertFalse(s.validationSample(7).test(all.get(7)), "the eighth held-out episode is not read");
        assertFalse(s.validationSample(7).test(-1));
        // 0, the count and more: every held-out episode
        assertEquals(all, kept(s.validationSample(0), 200));
        assertEquals(all, kept(s.validationSample(20), 200));
        assertEquals(all, kept(s.validationSample(1000), 200));
        assertEquals(20, s.validationSampleSize(0));
        assertEquals(20, s.validationSampleSize(1000));
        assertEquals(List.of(all.get(0)), kept(s.validationSample(1), 200));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.validationSample(-1));
        assertTrue(e.getMessage().contains("train.valEpisodes"), e.getMessage());
    }
}
