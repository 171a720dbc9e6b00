package io.smwm.bench.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains SMWM's toy world model on an SMWM trajectory table with DL4J's own Spark parameter averaging
 * (dl4j-spark 1.0.0-M2: {@link ParameterAveragingTrainingMaster} + {@link SparkComputationGraph}) and prints
 * throughput and losses in the terms of {@code ./smwm train}. See bench/dl4j-spark/README.md.
 */
public final class Dl4jSparkBench {

    private Dl4jSparkBench() {}

    static final class Options {
        String data;
        int epochs = 1;
        double lambda = 1.0;
        int workers = 2;
        int batch = 64;
        int averagingFrequency = 10;
        double lr = 5e-4, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        long seed = 0;
        double valFraction = 0.1;
        int frameskip = 5;
        int latent = 64;
        int hidden = 256;
        List<Integer> conv = List.of(32, 64, 128);
        String master;
        String exportDir = "/tmp/smwm-dl4j-bench/export";
        int prefetch = 0;
        boolean reshuffleEachEpoch = false;
        boolean fixAdamStep = false;
        int valBatch = 256;
        boolean initialValidation = true;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data" -> o.data = args[++i];
                    case "--epochs" -> o.epochs = Integer.parseInt(args[++i]);
                    case "--lambda" -> o.lambda = Double.parseDouble(args[++i]);
                    case "--workers" -> o.workers = Integer.parseInt(args[++i]);
                    case "--batch-size" -> o.batch = Integer.parseInt(args[++i]);
                    case "--averaging-frequency" -> o.averagingFrequency = Integer.parseInt(args[++i]);
                    case "--lr" -> o.lr = Double.parseDouble(args[++i]);
                    case "--seed" -> o.seed = Long.parseLong(args[++i]);
                    case "--val-fraction" -> o.valFraction = Double.parseDouble(args[++i]);
                    case "--frameskip" -> o.frameskip = Integer.parseInt(args[++i]);
                    case "--latent-dim" -> o.latent = Integer.parseInt(args[++i]);
                    case "--hidden" -> o.hidden = Integer.parseInt(args[++i]);
                    case "--conv" -> o.conv = Arrays.stream(args[++i].split(",")).map(String::trim)
                            .map(Integer::valueOf).toList();
                    case "--master" -> o.master = args[++i];
                    case "--export-dir" -> o.exportDir = args[++i];
                    case "--prefetch" -> o.prefetch = Integer.parseInt(args[++i]);
                    case "--reshuffle-each-epoch" -> o.reshuffleEachEpoch = true;
                    case "--fix-adam-step" -> o.fixAdamStep = true;
                    case "--val-batch" -> o.valBatch = Integer.parseInt(args[++i]);
                    case "--no-initial-validation" -> o.initialValidation = false;
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            }
            if (o.data == null) throw new IllegalArgumentException("--data TABLE is required\n" + USAGE);
            if (o.master == null) o.master = "local[" + o.workers + "]";
            if (o.epochs < 1 || o.workers < 1 || o.batch < 1 || o.averagingFrequency < 1 || !(o.lambda >= 0))
                throw new IllegalArgumentException("epochs, workers, batch size, averaging frequency must be >= 1 and "
                        + "lambda >= 0");
            return o;
        }
    }

    static final String USAGE = """
            usage: Dl4jSparkBench --data TABLE [options]      (bench/dl4j-spark/run.sh TABLE EPOCHS LAMBDA [options])
              --epochs N (1)  --lambda L (1.0)  --workers N (2)  --batch-size B per worker (64)
              --averaging-frequency K (10)  --lr (5e-4)  --seed S (0: SMWM's default train.seed)  --val-fraction (0.1)
              --frameskip k (5)  --latent-dim (64)  --hidden (256)  --conv 32,64,128  --master (local[WORKERS])
              --export-dir DIR (/tmp/smwm-dl4j-bench/export)  --prefetch N (0: dl4j-spark's default)
              --reshuffle-each-epoch   new random batches every epoch (re-exported); default: DL4J's usual re-use of
                                       the epoch-1 export, whose batch files are re-dealt to rounds at random each epoch
              --fix-adam-step          keep Adam's step counter across rounds (dl4j-spark M2 resets it every round)
              --val-batch B (256)  --no-initial-validation""";

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // dl4j-spark's stats helpers default to an NTP time source (pool.ntp.org); this one reads the local clock
        System.setProperty("org.deeplearning4j.spark.time.TimeSource",
                "org.deeplearning4j.spark.time.SystemClockTimeSource");

        SparkSession spark = SparkSession.builder().appName("smwm-dl4j-spark-bench").master(o.master)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, 2 * o.workers)))
                .config("spark.executor.extraJavaOptions",
                        "-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource")
                .getOrCreate();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try {
            run(o, spark, jsc);
        } finally {
            spark.stop();
        }
    }

    private static void run(Options o, SparkSession spark, JavaSparkContext jsc) throws Exception {
        String table = o.data.endsWith("/") ? o.data.substring(0, o.data.length() - 1) : o.data;
        TableTransitions.TableInfo info = TableTransitions.readInfo(jsc.hadoopConfiguration(), table);
        if (info.height() != info.width())
            throw new IllegalArgumentException("frames must be square, got " + info.height() + "x" + info.width());
        if (info.frameskip() != o.frameskip)
            System.out.printf("note: the table records frameskip %d; the model uses --frameskip %d (SMWM's "
                    + "model.frameskip)%n", info.frameskip(), o.frameskip);
        WorldModelNet.Dims dims = new WorldModelNet.Dims(info.height(), info.channels(), o.conv, o.latent, o.hidden,
                info.actionDim(), o.frameskip);
        float[][] normaliser = SmwmConventions.actionNormaliser(info.actionMean(), info.actionStd(), o.frameskip);
        BitSet val = SmwmConventions.validationEpisodes(info.episodes(), o.valFraction, o.seed);

        System.out.println("=== DL4J Spark parameter averaging (dl4j-spark_2.12 1.0.0-M2, ND4J 1.0.0-M2, Spark "
                + spark.version() + ", Java " + System.getProperty("java.version") + ") ===");
        System.out.printf("table %s: env %s, %d episodes (%d held out for validation), %d frames, %dx%dx%d, "
                        + "action dim %d x frameskip %d%n", table, info.env(), info.episodes(), val.cardinality(),
                info.frames(), info.height(), info.width(), info.channels(), info.actionDim(), o.frameskip);
        System.out.printf("master %s, workers %d, batch %d per worker, averaging every %d steps, lambda %s, Adam lr %s,"
                        + " epochs %d, seed %d%s%s%n", o.master, o.workers, o.batch, o.averagingFrequency, o.lambda, o.lr,
                o.epochs, o.seed, o.fixAdamStep ? ", --fix-adam-step" : "",
                o.reshuffleEachEpoch ? ", --reshuffle-each-epoch" : "");

        TableTransitions tt = new TableTransitions(spark, table, o.frameskip);
        Dataset<Row> transitions = tt.transitions();
        Dataset<Row> train = TableTransitions.training(transitions, val);

        // validation transitions, cut on the driver once (outside every timed region)
        long tv = System.nanoTime();
        TableTransitions.Batcher valBatcher = new TableTransitions.Batcher(o.valBatch, dims.side(), dims.channels(),
                o.frameskip, dims.actionDim(), dims.latent(), normaliser, null);
        List<MultiDataSet> valBatches = new ArrayList<>();
        Iterator<MultiDataSet> vit = valBatcher.call(TableTransitions.validation(transitions, val)
                .orderBy("episode_index", "frame_index").toLocalIterator());
        while (vit.hasNext()) valBatches.add(vit.next());
        long valCount = valBatches.stream().mapToLong(b -> b.getFeatures(0).size(0)).sum();
        System.out.printf("validation: %d transitions in %d batches (read in %.1f s)%n", valCount, valBatches.size(),
                (System.nanoTime() - tv) / 1e9);

        ComputationGraph net = new ComputationGraph(WorldModelNet.configuration(dims, o.lambda, o.lr, o.beta1,
                o.beta2, o.epsilon));
        net.init();
        WorldModelNet.initialiseLikeSmwm(net, dims, SmwmConventions.derive(o.seed, "init"));
        System.out.printf("network: %d parameters (SMWM's model: %d), initialised as SMWM's for seed %d%n",
                net.numParams(), dims.parameterCount(), o.seed);
        org.bytedeco.javacpp.Loader.getLoadedLibraries().forEach((k, path) -> {
            if (k.contains("nd4jcpu")) System.out.println("ND4J native library: " + path);
        });
        if (net.numParams() != dims.parameterCount())
            throw new IllegalStateException("parameter count differs from SMWM's model");

        if (!valBatches.isEmpty()) {
            // DL4J's score is L_fwd + λ·L_inv by construction; show it on one batch next to the loss computed here
            MultiDataSet b0 = valBatches.get(0);
            WorldModelNet.LossSums s = WorldModelNet.evaluate(net, b0);
            System.out.printf("score check on a validation batch of %d: DL4J score %.6f, L_fwd + lambda*L_inv = %.6f "
                    + "(L_fwd %.6f, L_inv %.6f)%n", s.examples(), net.score(b0, false), s.total(o.lambda), s.fwd(),
                    s.inv());
            if (o.initialValidation) {
                WorldModelNet.LossSums v0 = validate(net, valBatches);
                System.out.printf("epoch 0 (initial parameters): validation loss %.7f (fwd %.7f, inv %.7f)%n",
                        v0.total(o.lambda), v0.fwd(), v0.inv());
            }
        }

        RoundHook hook = new RoundHook(jsc, o.fixAdamStep);
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(o.workers, o.batch)
                .batchSizePerWorker(o.batch)
                .averagingFrequency(o.averagingFrequency)
                .saveUpdater(true) // average Adam's state too, as SMWM does by default (dl4j-spark's default: false)
                .workerPrefetchNumBatches(o.prefetch)
                .rngSeed(o.seed)
                .exportDirectory(o.exportDir)
                .trainingHooks(hook);
        final int[] epochNow = {0};
        RoundTimedMaster tm = new RoundTimedMaster(b, hook, r -> System.out.printf(
                "epoch %d round %d (split %d/%d): %d examples, loss %.5f (mean over the round's minibatches; DL4J score "
                        + "%.5f), %.0f examples/s, round %.2fs%n", epochNow[0], r.index(), r.splitNum(), r.numSplits(),
                r.examples(), r.meanTrainLoss(), r.dl4jScore(), r.examples() / r.seconds(), r.seconds()));
        SparkComputationGraph sparkNet = new SparkComputationGraph(jsc, net, tm);

        LongAccumulator batched = jsc.sc().longAccumulator("smwm-bench transitions batched");
        TableTransitions.Batcher trainBatcher = new TableTransitions.Batcher(o.batch, dims.side(), dims.channels(),
                o.frameskip, dims.actionDim(), dims.latent(), normaliser, batched);

        double fitSeconds = 0;
        long examples = 0;
        WorldModelNet.LossSums v = null;
        JavaRDD<MultiDataSet> rdd = null;
        try {
            for (int epoch = 1; epoch <= o.epochs; epoch++) {
                epochNow[0] = epoch;
                if (rdd == null || o.reshuffleEachEpoch)
                    rdd = TableTransitions.trainingBatches(train, o.workers,
                            SmwmConventions.derive(o.seed, "dl4j-bench-shuffle", epoch), trainBatcher);
                int r0 = tm.rounds().size();
                double export0 = tm.exportSeconds();
                long t0 = System.nanoTime();
                sparkNet.fitMultiDataSet(rdd);
                double secs = (System.nanoTime() - t0) / 1e9;
                fitSeconds += secs;
                List<RoundTimedMaster.Round> rs = tm.rounds().subList(r0, tm.rounds().size());
                long ex = rs.stream().mapToLong(RoundTimedMaster.Round::examples).sum();
                double lossSum = rs.stream().filter(r -> r.examples() > 0)
                        .mapToDouble(r -> r.meanTrainLoss() * r.examples()).sum();
                double roundSecs = rs.stream().mapToDouble(RoundTimedMaster.Round::seconds).sum();
                examples += ex;
                v = valBatches.isEmpty() ? null : validate(sparkNet.getNetwork(), valBatches);
                System.out.printf("epoch %d done: %d rounds, %d examples, train loss %.5f, validation loss %s, "
                                + "%.0f examples/s (fit %.1fs: export %.1fs, rounds %.1fs)%n", epoch, rs.size(), ex,
                        lossSum / ex, v == null ? "n/a" : String.format("%.5f (fwd %.5f, inv %.5f)", v.total(o.lambda),
                                v.fwd(), v.inv()), ex / secs, secs, tm.exportSeconds() - export0, roundSecs);
            }
        } finally {
            tm.deleteExports(jsc);
        }

        List<RoundTimedMaster.Round> all = tm.rounds();
        double roundSecs = all.stream().mapToDouble(RoundTimedMaster.Round::seconds).sum();
        double[] perRound = all.stream().filter(r -> r.examples() > 0).mapToDouble(r -> r.examples() / r.seconds())
                .sorted().toArray();
        RoundTimedMaster.Round last = all.isEmpty() ? null : all.get(all.size() - 1);
        System.out.println();
        System.out.println("=== result: DL4J Spark parameter averaging ===");
        System.out.printf("training transitions %d, trained on %d examples in %d epochs (dl4j-spark drops what does "
                        + "not fit K batches per worker in a round); validation transitions %d%n",
                batched.value() / (o.reshuffleEachEpoch ? o.epochs : 1), examples, o.epochs, valCount);
        System.out.printf("wall time of fit(): %.1f s over %d epochs (export %.1f s, %d rounds %.1f s)%n", fitSeconds,
                o.epochs, tm.exportSeconds(), all.size(), roundSecs);
        System.out.printf("examples/s: %.1f over the whole fit, %.1f over the rounds only; per round median %.1f "
                        + "(min %.1f, max %.1f)%n", examples / fitSeconds, examples / roundSecs, median(perRound),
                perRound.length == 0 ? Double.NaN : perRound[0],
                perRound.length == 0 ? Double.NaN : perRound[perRound.length - 1]);
        System.out.printf("Adam step counter: %d of %d worker minibatches ran with a counter behind the driver's%s%n",
                hook.staleAdamSteps(), hook.minibatches(), o.fixAdamStep ? " (--fix-adam-step)"
                        : " (dl4j-spark M2 restarts it at 0 every round; --fix-adam-step keeps it)");
        if (last != null)
            System.out.printf("final training score: %.5f (last round's mean minibatch loss); DL4J's averaged score "
                    + "%.5f (mean of the workers' last minibatch)%n", last.meanTrainLoss(), sparkNet.getScore());
        if (v != null)
            System.out.printf("validation loss: total %.5f, L_fwd %.5f, L_inv %.5f (lambda %s)%n", v.total(o.lambda),
                    v.fwd(), v.inv(), o.lambda);
        System.out.printf("RESULT dl4j-spark workers=%d batch=%d K=%d lambda=%s epochs=%d examples=%d fit_s=%.1f "
                        + "examples_per_s=%.1f rounds_examples_per_s=%.1f train_loss=%.5f val_fwd=%.5f val_inv=%.5f "
                        + "val_total=%.5f%n", o.workers, o.batch, o.averagingFrequency, o.lambda, o.epochs, examples,
                fitSeconds, examples / fitSeconds, examples / roundSecs, last == null ? Double.NaN : last.meanTrainLoss(),
                v == null ? Double.NaN : v.fwd(), v == null ? Double.NaN : v.inv(),
                v == null ? Double.NaN : v.total(o.lambda));
        Nd4j.getMemoryManager().invokeGc();
    }

    static WorldModelNet.LossSums validate(ComputationGraph net, List<MultiDataSet> batches) {
        WorldModelNet.LossSums s = WorldModelNet.LossSums.ZERO;
        for (MultiDataSet b : batches) s = s.plus(WorldModelNet.evaluate(net, b));
        return s;
    }

    private static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
