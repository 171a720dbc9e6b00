package io.smwm.spark.cli;

import io.smwm.spark.run.DiagnosisRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code smwm diagnose}: latent collapse and alignment diagnostics of a trained run on held-out episodes. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Latent diagnostics of a run on held-out episodes: std, effective rank, PCA spectrum, inverse R², probes; JSON + PNGs.")
final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run directory (with checkpoint/).")
    Path run;

    @Option(names = "--data", required = true, description = "The table the run was trained on (its validation split is used).")
    String data;

    @Option(names = "--samples", defaultValue = "3000", description = "Held-out transitions to use (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--skip-validation", description = "Do not validate the table first (for a table validated since "
            + "it last changed); the reader's per-row checks still apply.")
    boolean skipValidation;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> r = DiagnosisRun.execute(run, data, samples, skipValidation, System.out::println);
        for (String key : new String[] {"n", "episodes", "latent_std_mean", "collapsed", "effective_rank", "significant_components",
                "inverse_r2", "probe_r2", "probe_r2_full_state", "position_probe_r2", "uncontrolled_probe_r2",
                "distractor_probe_r2"}) {
            if (r.containsKey(key)) {
                Object v = r.get(key);
                System.out.printf("%-24s %s%n", key, v instanceof Double d ? String.format("%.4f", d) : v);
            }
        }
        if (r.get("inverse_r2_per_dim") instanceof double[] v) {
            StringBuilder row = new StringBuilder();
            for (double x : v) row.append(String.format("%.2f ", x));
            System.out.printf("%-24s %s%n", "inverse_r2_per_dim", row.toString().trim());
        }
        printFeatureRow("probe_r2_per_feature", r.get("probe_r2_per_feature"));
        printValue("latent_share_by_state", r.get("latent_share_explained_by_state"));
        printFeatureRow("latent_share_unique", r.get("latent_share_unique_per_feature"));
        printValue("state_inverse_r2", r.get("state_inverse_r2"));
        printFeatureRow("state_inverse_r2_drop", r.get("state_inverse_r2_drop_per_feature"));
        double[] ratio = (double[]) r.get("explained_variance_ratio");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(10, ratio.length); i++) {
            sb.append(String.format("%.3f ", ratio[i]));
        }
        System.out.printf("%-24s %s%n", "pca_top10", sb.toString().trim());
        for (String key : new String[] {"pc_controllable_r2", "pc_uncontrolled_r2", "pc_joint_state_r2"}) {
            if (r.get(key) instanceof double[] v) {
                StringBuilder row = new StringBuilder();
                for (double x : v) row.append(String.format("%.2f ", x));
                System.out.printf("%-24s %s(PC1.., polynomial of degree %s in the state)%n", key, row,
                        r.get("pc_attribution_degree"));
            }
        }
        printRollouts(r);
        System.out.println("wrote " + run.resolve("diagnostics"));
        return 0;
    }

    /** g's open-loop rollouts of recorded actions: the latent error per step and, per probe feature, a small table. */
    private static void printRollouts(Map<String, Object> r) {
        if (r.get("rollout_latent_error_ratio") instanceof double[] v) {
            StringBuilder row = new StringBuilder();
            for (double x : v) row.append(String.format("%.3f ", x));
            System.out.printf("%-24s %s(steps 1..%s, %s windows of recorded actions; 1 = no better than no change)%n",
                    "rollout_latent_error", row, r.get("rollout_horizon"), r.get("rollout_windows"));
        }
        if (r.get("rollout_feature_rmse") instanceof Map<?, ?> m) {
            System.out.printf("rollout_feature_rmse at step %s (all windows | the quarter that moved the feature most):%n",
                    r.get("rollout_horizon"));
            System.out.printf("  %-16s %9s %9s %9s | %9s %9s %9s%n", "feature", "change", "encoder", "rollout",
                    "change", "encoder", "rollout");
            m.forEach((name, v) -> {
                Map<?, ?> e = (Map<?, ?>) v;
                System.out.printf("  %-16s %9.4f %9.4f %9.4f | %9.4f %9.4f %9.4f%n", name, e.get("change"), e.get("encoder"),
                        e.get("rollout"), e.get("change_q4"), e.get("encoder_q4"), e.get("rollout_q4"));
            });
        }
    }

    /** One line "label value" with three decimals; nothing when the key is absent. */
    private static void printValue(String label, Object value) {
        if (value instanceof Double d) {
            System.out.printf("%-24s %.3f%n", label, d);
        }
    }

    /** One line "label name value  name value …" of a per-feature map; nothing when the key is absent. */
    private static void printFeatureRow(String label, Object value) {
        if (value instanceof Map<?, ?> m) {
            StringBuilder row = new StringBuilder();
            m.forEach((k, x) -> row.append(k).append(String.format(" %.3f  ", (Double) x)));
            System.out.printf("%-24s %s%n", label, row.toString().trim());
        }
    }
}
