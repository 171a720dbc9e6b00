import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.config.LossConfig;
import io.smwm.core.loss.LossTerms;
import io.smwm.core.model.Normalizer;
import io.smwm.core.train.Learner;
import io.smwm.core.util.Seeds;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TableTransitionSource;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableStats;
import io.smwm.data.table.TrajectoryReader;

/**
 * Cross-check of the harness against SMWM itself: SMWM's validation loss of the freshly initialised model (seed S,
 * the default model sized to the table, λ) on the run's validation split. The harness prints the same number as
 * "epoch 0 (initial parameters): validation loss ..." when the DL4J network, its initial parameters, the split, the
 * transitions and the action normalisation all match SMWM's. Run from the repository root (after the root build):
 *   java -cp "smwm-spark/target/smwm.jar:$(cat smwm-spark/target/spark-classpath.txt)" \
 *     bench/dl4j-spark/check/SmwmInitialLoss.java TABLE LAMBDA [SEED]
 */
public class SmwmInitialLoss {
    public static void main(String[] args) throws Exception {
        String table = args[0];
        double lambda = Double.parseDouble(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0L;
        TableMetadata meta;
        TableStats stats;
        try (TrajectoryReader r = TrajectoryReader.open(table)) {
            meta = r.metadata();
            stats = r.stats();
        }
        ExperimentConfig cfg = TrainingData.defaultsSizedTo(meta);
        cfg = cfg.withLoss(new LossConfig(lambda)).withTrain(cfg.train().withSeed(seed));
        EpisodeSplit split = TrainingData.split(meta, cfg);
        Normalizer norm = TrainingData.normalizer(stats, cfg);
        Learner learner = new Learner(cfg.model(), cfg.loss(), cfg.train(), norm, Seeds.derive(seed, "init"));
        TableTransitionSource val = new TableTransitionSource(table, split::isValidation, cfg.model().frameskip(),
                4096, false);
        LossTerms v = learner.evaluate(val, 256);
        System.out.printf("SMWM (engine %s), seed %d, %d validation episodes: initial validation loss %.7f "
                + "(fwd %.7f, inv %.7f)%n", cfg.train().engine(), seed, split.validationEpisodes(), v.total(), v.fwd(),
                v.inv());
    }
}
