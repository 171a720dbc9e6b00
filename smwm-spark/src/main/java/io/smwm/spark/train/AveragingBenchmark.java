package io.smwm.spark.train;

import io.smwm.core.config.ConfigLoader;
import io.smwm.core.config.ExperimentConfig;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.batch.TrainingData;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A printed measurement (not a test): the share of each averaging round spent outside local compute (broadcast,
 * scheduling, task deserialisation, tree reduction, driver-side averaging) for the bundled TwoRoom model (the
 * default architecture, 64x64x3) on a freshly generated table, K local steps per round, 2 workers. The first round
 * (graph build, native warm-up) is reported separately.
 */
public final class AveragingBenchmark {
    private AveragingBenchmark() {}

    public static void run(SparkSession spark, PrintStream out, int k, int rounds, int batchSize) throws Exception {
        int workers = 2;
        ExperimentConfig cfg = ConfigLoader.forTask("tworoom");
        cfg = cfg.withTrain(cfg.train().withBatchSize(batchSize).withEpochs(1));
        int steps = 100;
        long transitionsNeeded = (long) (1.3 * workers * k * rounds * batchSize); // slack: uneven partitions
        long episodes = Math.max(4, (long) Math.ceil(transitionsNeeded / (0.9 * (steps + 1 - cfg.model().frameskip()))));
        Path dir = Files.createTempDirectory("smwm-averaging-bench");
        try {
            String table = dir.resolve("t").toString();
            LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", cfg.model().imageSize(),
                    List.of(), Map.of()), null, episodes, steps, 1, cfg.model().frameskip(),
                    (int) Math.max(1, episodes / 8)), table, false);
            TableMetadata meta;
            io.smwm.core.model.Normalizer norm;
            try (TrajectoryReader r = TrajectoryReader.open(table)) {
                meta = r.metadata();
                norm = TrainingData.normalizer(r.stats(), cfg);
            }
            EpisodeSplit split = TrainingData.split(meta, cfg);
            DistributedTrainer t = new DistributedTrainer(spark, cfg, norm, new AveragingConfig(workers, k, true, 1000),
                    table, meta, split, null, "", 4096);
            out.printf("averaging benchmark: %s, %d params, batch %d, K=%d, %d workers on %s, %d episodes%n",
                    "tworoom model", io.smwm.core.model.WorldModelGraph.paramSpecs(cfg.model()).stream()
                            .mapToLong(io.smwm.core.model.ParamSpec::length).sum(),
                    batchSize, k, workers, spark.sparkContext().master(), episodes);
            t.fit(null, null);
            List<DistributedTrainer.RoundSummary> rs = t.rounds();
            double round = 0, comp = 0;
            int n = 0;
            for (int i = 0; i < rs.size(); i++) {
                DistributedTrainer.RoundSummary s = rs.get(i);
                out.printf("  round %2d: %6.2f s, compute %6.2f s, overhead %5.3f s (%4.1f%%), %d examples%s%n", i,
                        s.roundSeconds(), s.computeSeconds(), s.overheadSeconds(),
                        100 * s.overheadSeconds() / s.roundSeconds(), s.examples(), i == 0 ? " (warm-up)" : "");
                if (i > 0 && s.activePartitions() == workers && s.examples() >= (long) workers * k * batchSize) {
                    round += s.roundSeconds();
                    comp += s.computeSeconds();
                    n++;
                }
            }
            if (n > 0) out.printf("full warm rounds: %d; mean round %.3f s, mean overhead %.3f s = %.1f%% of round time "
                    + "(target <= 10%%)%n", n, round / n, (round - comp) / n, 100 * (round - comp) / round);
            else out.println("no full warm round: raise --rounds");
        } finally {
            try (Stream<Path> w = Files.walk(dir)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
