package io.smwm.core.config;

/**
 * Optimisation settings (Adam). Defaults: the paper's toy setting, lr 5e-4, batch 256.
 *
 * @param lr          Adam learning rate
 * @param batchSize   transitions per step
 * @param epochs      passes over the training transitions
 * @param seed        root seed; every random source (init, shuffles, splits) derives from it
 * @param valFraction fraction of transitions held out for validation, in [0, 1)
 * @param gradClip    global L2-norm gradient clipping threshold; 0 = off
 * @param beta1       Adam β1
 * @param beta2       Adam β2
 * @param epsilon     Adam ε
 * @param lrDecay     per-epoch learning-rate factor in (0, 1]: epoch e (1-based) trains at lr · lrDecay^(e−1);
 *                    1 = a constant rate (the paper's setting)
 * @param engine      how a training step is computed: {@code direct} (the default: im2col matrix products and
 *                    reused buffers, {@code io.smwm.core.model.direct}) or {@code samediff} (the SameDiff graph, the
 *                    reference the direct engine is tested against); both compute the same loss and gradients
 * @param chunk       transitions per chunk: 1 (the default) shuffles single transitions; L &gt; 1 cuts each episode
 *                    into runs of L consecutive model steps (t, t+k, …, t+(L−1)k), shuffles the runs and fills batches
 *                    with whole runs, so a batch's transitions share frames and the direct engine encodes each shared
 *                    frame once (with context c, L transitions need L+c distinct frames instead of L·(c+1)). Every
 *                    transition is still visited once per epoch; a batch holds about B/L runs instead of B draws.
 *                    Runs train a little less per step but make a step cheaper, and they lengthen the collapsed start
 *                    of a run, hence {@code chunkFromEpoch}
 * @param averageEpochs A &ge; 0: the trained model is the mean of the parameters after every update (a step, or an
 *                    averaging round on Spark) of the last A epochs (Polyak–Ruppert averaging of the iterates; the
 *                    optimisation itself is unchanged and continues from the last iterate). 0 (the default, the
 *                    paper's setting) = the last iterate; A &gt; epochs averages over every epoch
 * @param chunkFromEpoch E &ge; 1: epochs before E shuffle single transitions, epochs from E on use runs of
 *                    {@code chunk} ({@link #chunkAt}); 1 (the default) = runs from the start
 * @param valEpisodes V &ge; 0: the validation after each epoch reads only the V lowest-numbered held-out episodes
 *                    (a seeded random sample, as the held-out episodes are); 0 (the default) = all of them. The
 *                    held-out episodes themselves, and the pairs an evaluation draws from them, do not change
 * @param splitSeed   the seed the train/held-out split of the table's episodes derives from; null (the default) =
 *                    {@code seed}. Set it to train with another seed on the same held-out episodes (a second member
 *                    of an ensemble, a training-seed spread measured on one set of pairs): {@code splitSeed: S}
 *                    holds out what {@code seed: S} would
 */
public record TrainConfig(double lr, int batchSize, int epochs, long seed, double valFraction, double gradClip,
                          double beta1, double beta2, double epsilon, double lrDecay, String engine,
                          int chunk, int averageEpochs, int chunkFromEpoch, int valEpisodes, Long splitSeed) {

    /** The {@code train.engine} values. */
    public static final String ENGINE_DIRECT = "direct", ENGINE_SAMEDIFF = "samediff";
    public static final java.util.List<String> ENGINES = java.util.List.of(ENGINE_DIRECT, ENGINE_SAMEDIFF);

    public static final TrainConfig DEFAULT = new TrainConfig(5e-4, 256, 10, 0L, 0.1, 0.0, 0.9, 0.999, 1e-8, 1.0,
            ENGINE_DIRECT, 1, 0, 1, 0, null);
    /** A batch is held in memory as images and activations; larger ones are refused rather than running out of memory. */
    public static final int MAX_BATCH_SIZE = 65_536;

    public TrainConfig {
        Checks.positive("train.lr", lr);
        Checks.inRange("train.batchSize", batchSize, 1, MAX_BATCH_SIZE);
        Checks.atLeast("train.epochs", epochs, 1);
        if (!(valFraction >= 0 && valFraction < 1))
            throw new IllegalArgumentException("train.valFraction must be in [0, 1), got " + valFraction);
        Checks.finiteAtLeast("train.gradClip", gradClip, 0.0);
        Checks.openUnit("train.beta1", beta1);
        Checks.openUnit("train.beta2", beta2);
        Checks.positive("train.epsilon", epsilon);
        if (!(lrDecay > 0 && lrDecay <= 1))
            throw new IllegalArgumentException("train.lrDecay must be in (0, 1], got " + lrDecay);
        if (engine == null) engine = ENGINE_DIRECT;
        if (!ENGINES.contains(engine))
            throw new IllegalArgumentException("train.engine must be one of " + ENGINES + ", got " + engine);
        Checks.inRange("train.chunk", chunk, 1, MAX_BATCH_SIZE);
        Checks.atLeast("train.averageEpochs", averageEpochs, 0);
        Checks.atLeast("train.chunkFromEpoch", chunkFromEpoch, 1);
        Checks.atLeast("train.valEpisodes", valEpisodes, 0);
    }

    /** Without {@code splitSeed}: the split derives from {@code seed}. */
    public TrainConfig(double lr, int batchSize, int epochs, long seed, double valFraction, double gradClip,
                       double beta1, double beta2, double epsilon, double lrDecay, String engine, int chunk,
                       int averageEpochs, int chunkFromEpoch, int valEpisodes) {
        this(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine, chunk,
                averageEpochs, chunkFromEpoch, valEpisodes, null);
    }

    /** Without {@code valEpisodes}: every held-out episode is validated. */
    public TrainConfig(double lr, int batchSize, int epochs, long seed, double valFraction, double gradClip,
                       double beta1, double beta2, double epsilon, double lrDecay, String engine, int chunk,
                       int averageEpochs, int chunkFromEpoch) {
        this(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine, chunk,
                averageEpochs, chunkFromEpoch, 0);
    }

    /** Without {@code chunkFromEpoch}: runs of {@code chunk} from the first epoch. */
    public TrainConfig(double lr, int batchSize, int epochs, long seed, double valFraction, double gradClip,
                       double beta1, double beta2, double epsilon, double lrDecay, String engine, int chunk,
                       int averageEpochs) {
        this(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine, chunk,
                averageEpochs, 1);
    }

    /**
     * The run length of epoch {@code epoch} (1-based): {@code chunk} from epoch {@code chunkFromEpoch} on, single
     * transitions (1) before it.
     */
    public int chunkAt(int epoch) {
        return epoch >= chunkFromEpoch ? chunk : 1;
    }

    /** The first epoch (1-based) whose updates enter the parameter average; epochs + 1 when averaging is off. */
    public int firstAveragedEpoch() {
        return averageEpochs == 0 ? epochs + 1 : Math.max(1, epochs - averageEpochs + 1);
    }

    /** The learning rate of epoch {@code epoch} (1-based): lr · lrDecay^(epoch−1). */
    public double lrAt(int epoch) {
        return lr * Math.pow(lrDecay, Math.max(0, epoch - 1));
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(lr, batchSize, e, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(lr, batchSize, epochs, s, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withLr(double l) {
        return new TrainConfig(l, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(lr, b, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withEngine(String e) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, e,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withLrDecay(double d) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, d, engine,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withChunk(int l) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                l, averageEpochs, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withChunkFromEpoch(int e) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, e, valEpisodes, splitSeed);
    }

    public TrainConfig withAverageEpochs(int a) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, a, chunkFromEpoch, valEpisodes, splitSeed);
    }

    public TrainConfig withValEpisodes(int v) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, chunkFromEpoch, v, splitSeed);
    }

    public TrainConfig withSplitSeed(Long s) {
        return new TrainConfig(lr, batchSize, epochs, seed, valFraction, gradClip, beta1, beta2, epsilon, lrDecay, engine,
                chunk, averageEpochs, chunkFromEpoch, valEpisodes, s);
    }

    /** The seed the train/held-out split derives from: {@code splitSeed} when set, else {@code seed}. */
    public long splitRoot() {
        return splitSeed != null ? splitSeed : seed;
    }
}
