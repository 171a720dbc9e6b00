package io.smwm.bench.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * dl4j-spark's {@link ParameterAveragingTrainingMaster}, unchanged, with a stopwatch around its two phases:
 * the export of an RDD&lt;MultiDataSet&gt; to batch files (once per distinct RDD) and each training split, which is
 * one averaging round (broadcast of parameters and updater state, repartition of the split's file paths over the
 * workers, K minibatch fits per worker, tree-aggregate and averaging on the driver). Examples and the mean training
 * loss per round come from {@link RoundHook}'s accumulators.
 */
final class RoundTimedMaster extends ParameterAveragingTrainingMaster {
    private static final long serialVersionUID = 1L;

    /** One averaging round as the driver saw it. */
    record Round(int index, int splitNum, int numSplits, long examples, double meanTrainLoss, double dl4jScore,
                 double seconds) {}

    private final transient RoundHook hook;
    private final transient Consumer<Round> onRound;
    private final transient List<Round> rounds = new ArrayList<>();
    private transient double exportSeconds;

    RoundTimedMaster(Builder builder, RoundHook hook, Consumer<Round> onRound) {
        super(builder);
        this.hook = hook;
        this.onRound = onRound;
    }

    List<Round> rounds() {
        return rounds;
    }

    double exportSeconds() {
        return exportSeconds;
    }

    /** Deletes the last export (dl4j-spark's deleteTempFiles) and this master's now empty export folder. */
    void deleteExports(JavaSparkContext sc) {
        deleteTempFiles(sc);
        if (exportDirectory != null)
            deleteTempDir(sc, exportDirectory + (exportDirectory.endsWith("/") ? "" : "/") + trainingMasterUID);
    }

    @Override
    protected JavaRDD<String> exportIfRequiredMDS(JavaSparkContext sc, JavaRDD<MultiDataSet> trainingData) {
        long t0 = System.nanoTime();
        try {
            return super.exportIfRequiredMDS(sc, trainingData);
        } finally {
            exportSeconds += (System.nanoTime() - t0) / 1e9;
        }
    }

    @Override
    protected void doIterationPaths(SparkDl4jMultiLayer network, SparkComputationGraph graph, JavaRDD<String> split,
                                    int splitNum, int numSplits, int dataSetObjectNumExamples, DataSetLoader dsLoader,
                                    MultiDataSetLoader mdsLoader) {
        hook.setBaseIteration(graph.getNetwork().getConfiguration().getIterationCount());
        long ex0 = hook.examples();
        double s0 = hook.scoreSum();
        long t0 = System.nanoTime();
        super.doIterationPaths(network, graph, split, splitNum, numSplits, dataSetObjectNumExamples, dsLoader,
                mdsLoader);
        double secs = (System.nanoTime() - t0) / 1e9;
        long ex = hook.examples() - ex0;
        double loss = ex == 0 ? Double.NaN : (hook.scoreSum() - s0) / ex;
        Round r = new Round(rounds.size() + 1, splitNum, numSplits, ex, loss, graph.getScore(), secs);
        rounds.add(r);
        if (onRound != null) onRound.accept(r);
    }
}
