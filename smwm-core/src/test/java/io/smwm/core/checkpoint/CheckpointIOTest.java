package io.smwm.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.config.TrainConfig;
import io.smwm.core.model.Normalizer;
import io.smwm.core.model.WorldModel;
import io.smwm.core.testing.MovingSquare;
import io.smwm.core.train.Learner;
import io.smwm.core.train.TransitionBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointIOTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ExperimentConfig CFG = new ExperimentConfig(MovingSquare.tinyConfig(16), new LossConfig(2.0),
            TrainConfig.DEFAULT.withLr(1e-3).withSeed(9));
    static final TransitionBatch BATCH = MovingSquare.transitions(16, 8, 21);

    /** A checkpoint of a learner after two Adam steps (non-trivial updater state). */
    static Checkpoint trained() {
        Learner l = new Learner(CFG.model(), CFG.loss(), CFG.train(), Normalizer.fit(BATCH.actions(), 2, 1), 9);
        l.step(BATCH);
        l.step(BATCH);
        return new Checkpoint(CFG, l.normalizer(), l.params(), l.updaterState(), Provenance.of("fp-123", 9, "parent", 2, 1));
    }

    static Path saved(Path tmp) {
        Path dir = tmp.resolve("ckpt");
        CheckpointIO.save(trained(), dir, false);
        return dir;
    }

    @Test
    void loadFromBytes_equalsLoadFromDisk_andKeepsEveryCheck(@TempDir Path tmp) throws Exception {
        Path dir = saved(tmp);
        java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        try (var s = java.nio.file.Files.list(dir)) {
            for (Path f : s.toList()) files.put(f.getFileName().toString(), java.nio.file.Files.readAllBytes(f));
        }
        Checkpoint disk = CheckpointIO.load(dir), mem = CheckpointIO.load(files, "(test bytes)");
        assertEquals(disk.config(), mem.config());
        assertEquals(disk.params(), mem.params());
        assertEquals(disk.updater().v(), mem.updater().v());
        assertEquals(disk.provenance(), mem.provenance());

        byte[] params = files.get(CheckpointIO.PARAMS).clone();
        params[params.length - 1] ^= 1;
        files.put(CheckpointIO.PARAMS, params);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(files, "(test bytes)"));
        assertTrue(e.getMessage().contains("checkpoint (test bytes)") && e.getMessage().contains("SHA-256"),
                e.getMessage());
        files.remove(CheckpointIO.NORMALIZER);
        assertTrue(assertThrows(CheckpointException.class, () -> CheckpointIO.load(files, "(test bytes)"))
                .getMessage().contains("missing file " + CheckpointIO.NORMALIZER));
    }

    @Test
    void saveThenLoad_identicalParamsUpdaterNormalizerAndOutputs(@TempDir Path tmp) {
        Checkpoint c = trained();
        Path dir = tmp.resolve("ckpt");
        CheckpointIO.save(c, dir, false);
        Checkpoint back = CheckpointIO.load(dir);
        assertEquals(c.config(), back.config());
        assertEquals(c.normalizer(), back.normalizer());
        assertEquals(c.params(), back.params());
        assertEquals(c.updater().m(), back.updater().m());
        assertEquals(c.updater().v(), back.updater().v());
        assertEquals(2, back.updater().step());
        assertEquals("fp-123", back.provenance().tableFingerprint());
        assertEquals("parent", back.provenance().parentRun());
        assertEquals("1.0.0-M2.1", back.provenance().libraryVersions().get("nd4j"));
        WorldModel a = c.toModel(), b = back.toModel();
        assertEquals(a.encode(BATCH.obsT()), b.encode(BATCH.obsT()));
        INDArray z = a.encode(BATCH.obsT()), act = Nd4j.create(a.normalizer().normalise(BATCH.actions()));
        assertEquals(a.predict(z, act), b.predict(z, act));
        // resuming: a learner restored from the checkpoint takes the same next step as the original
        Learner orig = learner(c), resumed = learner(back);
        assertEquals(orig.step(BATCH).loss(), resumed.step(BATCH).loss());
        assertEquals(orig.params(), resumed.params());
    }

    /** A parameter average travels with the checkpoint, is its model, and is checked like every other array. */
    @Test
    void average_savedLoadedAsTheModel_andCheckedLikeTheOtherArrays(@TempDir Path tmp) throws IOException {
        Checkpoint c = trained();
        INDArray mean = c.params().add(0.25f);
        Checkpoint withAvg = new Checkpoint(c.config(), c.normalizer(), c.params(), c.updater(), c.provenance(),
                new Checkpoint.Average(mean, 7));
        Path dir = tmp.resolve("avg");
        CheckpointIO.save(withAvg, dir, false);
        Checkpoint back = CheckpointIO.load(dir);
        assertEquals(c.params(), back.params(), "the iterate stays the params");
        assertEquals(7, back.average().count());
        assertEquals(mean, back.average().mean());
        assertEquals(mean, back.modelParams());
        assertEquals(withAvg.toModel().encode(BATCH.obsT()), back.toModel().encode(BATCH.obsT()));
        assertNotEquals(c.toModel().encode(BATCH.obsT()), back.toModel().encode(BATCH.obsT()));
        assertEquals(mean, back.withoutAverage().params());
        assertNull(back.withoutAverage().average());
        assertNull(CheckpointIO.load(saved(tmp)).average(), "a checkpoint without an average loads as before");

        Path avg = dir.resolve(CheckpointIO.AVERAGE);
        byte[] b = Files.readAllBytes(avg);
        Files.write(avg, java.util.Arrays.copyOf(b, b.length - 4));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir));
        assertTrue(e.getMessage().contains(CheckpointIO.AVERAGE), e.getMessage());
        Files.delete(avg);
        assertTrue(assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir)).getMessage()
                .contains("missing file " + CheckpointIO.AVERAGE));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(c.config(), c.normalizer(), c.params(),
                null, c.provenance(), new Checkpoint.Average(Nd4j.zeros(3), 1)), "an average of the wrong length");
    }

    static Learner learner(Checkpoint c) {
        Learner l = new Learner(c.config().model(), c.config().loss(), c.config().train(), c.normalizer(), 0);
        l.setParams(c.params());
        l.setUpdaterState(c.updater());
        return l;
    }

    @Test
    void save_existingWithoutOverwrite_refusedAndOriginalKept(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp);
        String before = Files.readString(dir.resolve(CheckpointIO.MANIFEST));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.save(trained(), dir, false));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals(before, Files.readString(dir.resolve(CheckpointIO.MANIFEST)));
        CheckpointIO.save(trained(), dir, true);
        assertNotNull(CheckpointIO.load(dir));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList(), "no temp siblings left behind");
        }
    }

    @Test
    void load_truncatedArrayFile_refusedNamingFile(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp), p = dir.resolve(CheckpointIO.PARAMS);
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, all.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir));
        assertTrue(e.getMessage().contains("params.bin has " + all.length / 2 + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void load_wrongArrayShape_refusedNamingParameterAndShapes(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp), p = dir.resolve(CheckpointIO.PARAMS);
        Checkpoint c = CheckpointIO.load(dir);
        var specs = io.smwm.core.model.WorldModelGraph.paramSpecs(CFG.model());
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(p))) {
            for (int i = 0; i < specs.size(); i++) {
                long[] shape = specs.get(i).shape().clone();
                if (i == 2) shape[3] += 1; // enc_conv1_W one output channel too many
                Nd4j.write(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape), out);
            }
        }
        ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve(CheckpointIO.MANIFEST).toFile());
        ObjectNode f = (ObjectNode) m.path("files").path(CheckpointIO.PARAMS);
        f.put("bytes", Files.size(p));
        f.put("sha256", CheckpointIO.sha256(p));
        JSON.writeValue(dir.resolve(CheckpointIO.MANIFEST).toFile(), m);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir));
        assertTrue(e.getMessage().contains("'enc_conv1_W' has shape [3, 3, 8, 17], expected [3, 3, 8, 16]"), e.getMessage());
        assertNotNull(c);
    }

    @Test
    void load_wrongFormatVersion_refusedNamingVersions(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp);
        ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve(CheckpointIO.MANIFEST).toFile());
        m.put("format_version", 99);
        JSON.writeValue(dir.resolve(CheckpointIO.MANIFEST).toFile(), m);
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir));
        assertTrue(e.getMessage().contains("format_version 99 is not supported by this build (supports 1)"), e.getMessage());
    }

    @Test
    void load_missingFiles_refusedListingAll(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp);
        Files.delete(dir.resolve(CheckpointIO.NORMALIZER));
        Files.delete(dir.resolve(CheckpointIO.UPDATER));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir));
        assertTrue(e.getMessage().contains("missing file normalizer.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("missing file updater.bin"), e.getMessage());
        Files.delete(dir.resolve(CheckpointIO.MANIFEST));
        e = assertThrows(CheckpointException.class, () -> CheckpointIO.load(dir));
        assertTrue(e.getMessage().contains("missing manifest.json"), e.getMessage());
    }

    @Test
    void recover_aKillBetweenTheTwoRenamesOfASave_restoresTheNewestCompleteCopy(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp);                       // step 2
        Checkpoint t = trained();
        Checkpoint newer = new Checkpoint(t.config(), t.normalizer(), t.params(), t.updater(),
                Provenance.of("fp-123", 9, "parent", 7, 1, 3));
        Path staged = tmp.resolve(".ckpt.tmp-abc"), incomplete = tmp.resolve(".ckpt.tmp-def");
        CheckpointIO.save(newer, tmp.resolve("staging"), false);
        Files.move(tmp.resolve("staging"), staged);
        Files.createDirectories(incomplete);         // killed while writing: no manifest yet
        Files.move(dir, tmp.resolve(".ckpt.old-123")); // killed after the first rename
        assertNull(CheckpointIO.recover(tmp.resolve("other")), "nothing to do for another name");
        String done = CheckpointIO.recover(dir);
        assertTrue(done.contains("recovered") && done.contains("step 7"), done);
        assertEquals(7, CheckpointIO.load(dir).provenance().step());
        assertEquals(3, CheckpointIO.load(dir).provenance().round());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(dir), s.toList(), "every leftover removed");
        }
    }

    @Test
    void recover_onlyTheOldCopyLeft_isUsed(@TempDir Path tmp) throws IOException {
        Path dir = saved(tmp);
        Files.move(dir, tmp.resolve(".ckpt.old-9"));
        assertTrue(CheckpointIO.recover(dir).contains("recovered"));
        assertEquals(2, CheckpointIO.load(dir).updater().step());
        assertNull(CheckpointIO.recover(dir), "nothing left to do");
    }
}
