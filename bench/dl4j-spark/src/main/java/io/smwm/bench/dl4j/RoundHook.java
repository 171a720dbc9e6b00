package io.smwm.bench.dl4j;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A dl4j-spark {@link TrainingHook} (runs on the workers around every minibatch fit) that
 * <ul>
 *   <li>counts the examples trained and sums score × examples in Spark accumulators, so the driver knows each
 *       averaging round's examples and its examples-weighted mean training loss (SMWM's per-round "loss");</li>
 *   <li>optionally ({@code --fix-adam-step}) restores Adam's step counter on the worker. dl4j-spark 1.0.0-M2 builds each
 *       round's worker network from {@code ComputationGraphConfiguration.clone()}, which does not copy
 *       {@code iterationCount}, so every round's workers run Adam's bias correction as steps 1..K again while their
 *       moments are the averaged long-run ones. With the fix the first minibatch of a round sets the worker's counter
 *       to the driver's (which the master advances by K per round), as a single network would have it.</li>
 * </ul>
 * The hook is serialised into every round's tasks, so {@link #setBaseIteration} before a round reaches its workers.
 */
final class RoundHook implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private final LongAccumulator examples;
    private final DoubleAccumulator scoreSum;
    private final LongAccumulator behind;
    private final LongAccumulator minibatches;
    private final boolean fixAdamStep;
    private int baseIteration;

    RoundHook(JavaSparkContext jsc, boolean fixAdamStep) {
        this.examples = jsc.sc().longAccumulator("smwm-bench examples");
        this.scoreSum = jsc.sc().doubleAccumulator("smwm-bench score x examples");
        this.behind = jsc.sc().longAccumulator("smwm-bench minibatches with a stale Adam step");
        this.minibatches = jsc.sc().longAccumulator("smwm-bench minibatches");
        this.fixAdamStep = fixAdamStep;
    }

    void setBaseIteration(int it) {
        this.baseIteration = it;
    }

    long examples() {
        return examples.value();
    }

    double scoreSum() {
        return scoreSum.value();
    }

    long minibatches() {
        return minibatches.value();
    }

    /** Minibatches a worker fitted with Adam's step counter behind the driver's (the stock dl4j-spark reset). */
    long staleAdamSteps() {
        return behind.value();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        if (model instanceof ComputationGraph g) {
            ComputationGraphConfiguration conf = g.getConfiguration();
            if (fixAdamStep && conf.getIterationCount() < baseIteration) conf.setIterationCount(baseIteration);
            if (conf.getIterationCount() < baseIteration) behind.add(1);
        }
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        long n = minibatch.getFeatures(0).size(0);
        examples.add(n);
        minibatches.add(1);
        scoreSum.add(model.score() * n);
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {}

    @Override
    public void postUpdate(DataSet minibatch, Model model) {}
}
