package io.smwm.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.train.TransitionBatch;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.testing.DiscEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTransitionSourceTest {
    @TempDir
    static Path dir;
    static String table;
    static List<Episode> episodes;

    @BeforeAll
    static void makeTable() throws Exception {
        GenerationSpec spec = new GenerationSpec("disc", DiscEnv.config(16, Map.of()), "random", 10, 8, 5L, 3, 3);
        table = dir.resolve("t").toString();
        LocalGenerator.generate(spec, DiscEnv.source(spec.envConfig()), table, false);
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            episodes = r.readAll();
        }
    }

    private static List<TransitionBatch> epoch(TableTransitionSource s, int epoch, int bs, long seed) {
        List<TransitionBatch> out = new ArrayList<>();
        for (Iterator<TransitionBatch> it = s.epoch(epoch, bs, seed); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void epoch_yieldsEveryTransitionOnce_withConcatenatedActionsAndFrameskipTargets() throws Exception {
        int k = 3;
        TableTransitionSource s = new TableTransitionSource(table, e -> true, k, 7, true);
        Map<String, Integer> seen = new HashMap<>();
        int total = 0;
        for (TransitionBatch b : epoch(s, 1, 5, 9)) {
            for (int i = 0; i < b.size(); i++) {
                // find the (episode, t) this transition came from by identity of the frame array
                boolean found = false;
                for (Episode e : episodes) {
                    for (int t = 0; t + k < e.frameCount(); t++) {
                        if (Arrays.equals(e.frames()[t], b.obsT()[i]) && Arrays.equals(e.frames()[t + k], b.obsTk()[i])
                                && Arrays.equals(e.states()[t], b.states()[i])) {
                            float[] expected = new float[2 * k];
                            for (int j = 0; j < k; j++) {
                                System.arraycopy(e.actions()[t + j], 0, expected, 2 * j, 2);
                            }
                            assertArrayEquals(expected, b.actions()[i]);
                            seen.merge(e.episodeIndex() + ":" + t, 1, Integer::sum);
                            found = true;
                        }
                    }
                }
                assertTrue(found, "every transition comes from the table");
                total++;
            }
        }
        assertEquals(10 * (9 - k), total);
        assertEquals(10 * (9 - k), seen.size(), "no transition twice");
        assertEquals(total, s.size());
    }

    @Test
    void epoch_isDeterministicPerSeedAndEpoch_andShuffledAcrossEpochs() throws Exception {
        TableTransitionSource s = new TableTransitionSource(table, e -> true, 1, 16, false);
        List<TransitionBatch> a = epoch(s, 1, 8, 3), b = epoch(s, 1, 8, 3), c = epoch(s, 2, 8, 3);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).actions(), b.get(i).actions());
        }
        assertNotEquals(Arrays.deepToString(a.get(0).actions()), Arrays.deepToString(c.get(0).actions()));
    }

    @Test
    void split_keepsTrainingAndValidationEpisodesApart() throws Exception {
        EpisodeSplit split = EpisodeSplit.of(10, 0.3, 4);
        assertEquals(3, split.validationEpisodes());
        TableTransitionSource train = new TableTransitionSource(table, split::isTraining, 2, 64, true);
        TableTransitionSource val = new TableTransitionSource(table, split::isValidation, 2, 64, true);
        Set<String> trainStates = new HashSet<>(), valStates = new HashSet<>();
        for (TransitionBatch b : epoch(train, 1, 4, 1)) {
            for (float[] s : b.states()) {
                trainStates.add(Arrays.toString(s));
            }
        }
        for (TransitionBatch b : epoch(val, 1, 4, 1)) {
            for (float[] s : b.states()) {
                valStates.add(Arrays.toString(s));
            }
        }
        assertEquals(7 * 7, train.size());
        assertEquals(3 * 7, val.size());
        trainStates.retainAll(valStates);
        assertTrue(trainStates.isEmpty(), "train and validation share no frame state: " + trainStates);
    }

    @Test
    void episodeSplit_isSeededAndExact() {
        EpisodeSplit a = EpisodeSplit.of(1000, 0.1, 7), b = EpisodeSplit.of(1000, 0.1, 7), c = EpisodeSplit.of(1000, 0.1, 8);
        assertEquals(100, a.validationEpisodes());
        int same = 0, differ = 0;
        for (long e = 0; e < 1000; e++) {
            assertEquals(a.isValidation(e), b.isValidation(e));
            assertEquals(!a.isValidation(e), a.isTraining(e));
            if (a.isValidation(e) != c.isValidation(e)) {
                differ++;
            } else {
                same++;
            }
        }
        assertTrue(differ > 0 && same > 0);
    }

    @Test
    void fileSubset_ofEveryFile_givesTheAllFilesBatches_andPartitionsCoverTheTableOnce() throws Exception {
        TableTransitionSource all = new TableTransitionSource(table, e -> true, 3, 7, false);
        int files = all.metadata().files().size();
        assertTrue(files >= 3, "fixture should have several part files, has " + files);
        TableTransitionSource same = new TableTransitionSource(table, e -> true, 3, 7, false,
                java.util.stream.IntStream.range(0, files).toArray());
        List<TransitionBatch> a = epoch(all, 2, 5, 11), b = epoch(same, 2, 5, 11);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).obsT(), b.get(i).obsT(), "batch " + i);
            assertArrayEquals(a.get(i).actions(), b.get(i).actions(), "batch " + i);
        }
        long total = 0;
        for (int p = 0; p < 2; p++) {
            final int pp = p;
            int[] mine = java.util.stream.IntStream.range(0, files).filter(f -> f % 2 == pp).toArray();
            TableTransitionSource part = new TableTransitionSource(table, e -> true, 3, 7, false, mine);
            for (TransitionBatch t : epoch(part, 2, 5, 11)) total += t.size();
            assertEquals(part.size(), epoch(part, 1, 5, 11).stream().mapToLong(TransitionBatch::size).sum());
        }
        assertEquals(all.size(), total);
    }

    @Test
    void context2_oTIsTheFrameKStepsBackAndTheCurrentOne_firstFrameRepeatedAtTheStart_oTkOneFrame() throws Exception {
        int k = 3;
        TableTransitionSource s = new TableTransitionSource(new org.apache.hadoop.conf.Configuration(), table,
                e -> true, k, 7, true, null, 2);
        int n = episodes.get(0).frames()[0].length, total = 0, early = 0;
        for (TransitionBatch b : epoch(s, 1, 5, 9)) {
            for (int i = 0; i < b.size(); i++) {
                assertEquals(2 * n, b.obsT()[i].length);
                assertEquals(n, b.obsTk()[i].length);
                boolean found = false;
                for (Episode e : episodes) {
                    for (int t = 0; t + k < e.frameCount(); t++) {
                        if (Arrays.equals(e.frames()[t], Arrays.copyOfRange(b.obsT()[i], n, 2 * n))
                                && Arrays.equals(e.states()[t], b.states()[i])) {
                            assertArrayEquals(e.frames()[Math.max(0, t - k)], Arrays.copyOfRange(b.obsT()[i], 0, n),
                                    "o_t = (o_{t-k}, o_t)");
                            assertArrayEquals(e.frames()[t + k], b.obsTk()[i]);
                            early += t < k ? 1 : 0;
                            found = true;
                        }
                    }
                }
                assertTrue(found, "every observation comes from the table");
                total++;
            }
        }
        assertEquals(10 * (9 - k), total);
        assertEquals(10 * k, early, "each episode's first k transitions repeat frame 0 as their older frame");
        byte[][] frames = {{1}, {2}, {3}, {4}, {5}};
        assertArrayEquals(new byte[] {1, 1, 1}, TableTransitionSource.contextFrames(frames, 0, 3, 2));
        assertArrayEquals(new byte[] {1, 3, 5}, TableTransitionSource.contextFrames(frames, 4, 3, 2));
        assertArrayEquals(new byte[] {2, 3, 4}, TableTransitionSource.contextFrames(frames, 3, 3, 1));
        assertTrue(frames[1] == TableTransitionSource.contextFrames(frames, 1, 1, 3), "context 1 shares the frame");
    }
    /** (episode index, t) of each transition of a batch, found by its states and frames. */
    private static List<long[]> origins(TransitionBatch b, int k) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            long[] found = null;
            for (Episode e : episodes) {
                for (int t = 0; t + k < e.frameCount(); t++) {
                    if (Arrays.equals(e.states()[t], b.states()[i]) && Arrays.equals(e.frames()[t + k], b.obsTk()[i])) {
                        found = new long[] {e.episodeIndex(), t};
                    }
                }
            }
            assertTrue(found != null, "every transition comes from the table");
            out.add(found);
        }
        return out;
    }

    @Test
    void chunks_visitEveryTransitionOnce_asRunsOfConsecutiveModelSteps_andChunk1IsTheUnchunkedSource()
            throws Exception {
        int k = 2, bs = 5;
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        TableTransitionSource runs = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2, 3);
        Map<String, Integer> seen = new HashMap<>();
        int pairs = 0, consecutive = 0, total = 0;
        List<TransitionBatch> batches = epoch(runs, 1, bs, 4);
        for (int j = 0; j < batches.size(); j++) {
            TransitionBatch b = batches.get(j);
            if (j < batches.size() - 1) assertEquals(bs, b.size(), "only the last batch is short");
            List<long[]> o = origins(b, k);
            for (int i = 0; i < o.size(); i++) {
                seen.merge(o.get(i)[0] + ":" + o.get(i)[1], 1, Integer::sum);
                total++;
                if (i > 0) {
                    pairs++;
                    consecutive += o.get(i)[0] == o.get(i - 1)[0] && o.get(i)[1] == o.get(i - 1)[1] + k ? 1 : 0;
                }
            }
        }
        assertEquals(10 * (9 - k), total);
        assertEquals(10 * (9 - k), seen.size(), "no transition twice");
        // each episode's 7 transitions are runs {0,2,4}, {6}, {1,3,5}: 4 of its 7 transitions follow their run's
        // previous one, and a run split across two batches loses one such pair
        assertTrue(consecutive >= 10 * 4 - batches.size(), consecutive + " of " + pairs + " neighbours consecutive");
        List<TransitionBatch> again = epoch(runs, 1, bs, 4);
        for (int j = 0; j < batches.size(); j++) assertArrayEquals(batches.get(j).states(), again.get(j).states());

        TableTransitionSource plain = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2);
        TableTransitionSource one = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2, 1);
        List<TransitionBatch> a = epoch(plain, 2, bs, 4), c = epoch(one, 2, bs, 4);
        assertEquals(a.size(), c.size());
        for (int j = 0; j < a.size(); j++) assertArrayEquals(a.get(j).states(), c.get(j).states(), "chunk 1 = plain");
        int plainConsecutive = 0;
        for (TransitionBatch b : a) {
            List<long[]> o = origins(b, k);
            for (int i = 1; i < o.size(); i++)
                plainConsecutive += o.get(i)[0] == o.get(i - 1)[0] && o.get(i)[1] == o.get(i - 1)[1] + k ? 1 : 0;
        }
        assertTrue(plainConsecutive < consecutive / 2, "shuffled single transitions are rarely neighbours: "
                + plainConsecutive + " against " + consecutive);
    }

    @Test
    void chunkSchedule_givesEachEpochTheBatchesOfASourceWithThatEpochsRunLength() throws Exception {
        int k = 2, bs = 5;
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        // train.chunkFromEpoch 2, train.chunk 3: epoch 1 of single transitions, epochs 2 and 3 of runs of 3
        TableTransitionSource scheduled = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2,
                e -> e >= 2 ? 3 : 1);
        TableTransitionSource one = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2, 1);
        TableTransitionSource three = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2, 3);
        for (int epoch = 1; epoch <= 3; epoch++) {
            List<TransitionBatch> got = epoch(scheduled, epoch, bs, 4);
            List<TransitionBatch> want = epoch(epoch == 1 ? one : three, epoch, bs, 4);
            List<TransitionBatch> other = epoch(epoch == 1 ? three : one, epoch, bs, 4);
            assertEquals(want.size(), got.size());
            boolean differs = false;
            for (int j = 0; j < want.size(); j++) {
                assertArrayEquals(want.get(j).states(), got.get(j).states(), "epoch " + epoch + " batch " + j);
                differs |= !Arrays.deepEquals(other.get(j).states(), got.get(j).states());
            }
            assertTrue(differs, "epoch " + epoch + ": the other run length gives other batches");
        }
        TableTransitionSource bad = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2,
                e -> e >= 2 ? 0 : 1);
        assertEquals(epoch(one, 1, bs, 4).size(), epoch(bad, 1, bs, 4).size());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> bad.epoch(2, bs, 4));
        assertTrue(ex.getMessage().contains("chunk of epoch 2"), ex.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2, 0));
    }

    @Test
    void inOrder_visitsEveryTransitionOnce_episodeByEpisodeInOrder_andIsDeterministic() throws Exception {
        int k = 2, bs = 5;
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        TableTransitionSource s = new TableTransitionSource(conf, table, e -> true, k, 6, true, null, 2);
        List<TransitionBatch> batches = new ArrayList<>();
        s.inOrder(bs).forEachRemaining(batches::add);
        Map<String, Integer> seen = new HashMap<>();
        int consecutive = 0, total = 0;
        long[] prev = null;
        for (int j = 0; j < batches.size(); j++) {
            if (j < batches.size() - 1) assertEquals(bs, batches.get(j).size(), "only the last batch is short");
            for (long[] o : origins(batches.get(j), k)) {
                seen.merge(o[0] + ":" + o[1], 1, Integer::sum);
                total++;
                if (prev != null && o[0] == prev[0] && o[1] == prev[1] + k) consecutive++;
                prev = o;
            }
        }
        assertEquals(10 * (9 - k), total);
        assertEquals(10 * (9 - k), seen.size(), "no transition twice");
        // each episode's 7 transitions are the runs {0,2,4,6} and {1,3,5}, in order: 5 neighbours consecutive, across
        // batch boundaries too
        assertEquals(10 * 5, consecutive);
        List<TransitionBatch> again = new ArrayList<>();
        s.inOrder(bs).forEachRemaining(again::add);
        assertEquals(batches.size(), again.size());
        for (int j = 0; j < batches.size(); j++) assertArrayEquals(batches.get(j).states(), again.get(j).states());
        assertThrows(IllegalArgumentException.class, () -> s.inOrder(0));
    }
}
