package io.smwm.data.testing;

import io.smwm.core.env.BehaviourPolicy;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.Environment;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.env.RandomPolicy;
import io.smwm.core.render.RgbImage;
import io.smwm.core.env.StepResult;
import io.smwm.core.util.Seeds;
import io.smwm.data.generate.EnvSource;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test-only task: a red disc at (x, y) in [0,1]^2 moved by a in [-1,1]^2 (0.05 per unit), on a white canvas of
 * imageSize pixels. Params: "terminate_after" = n ends every episode after n steps (is_terminal); "distractor" =
 * "dot" adds a grey dot drifting on its own (distractor state (u, v)).
 */
public final class DiscEnv implements Environment {
    private final EnvConfig config;
    private final EnvSpec spec;
    private final int terminateAfter;
    private final boolean dot;
    private float x, y, u, v;
    private int t;
    private SplittableRandom drift = new SplittableRandom(0);

    public DiscEnv(EnvConfig config) {
        this.config = config;
        this.terminateAfter = Integer.parseInt(config.params().getOrDefault("terminate_after", "-1"));
        this.dot = "dot".equals(config.params().get("distractor"));
        this.spec = new EnvSpec("disc", config.variant(), 2, new float[] {-1, -1}, new float[] {1, 1}, 2,
                List.of("x", "y"), dot ? 2 : 0, config.imageSize(), config.imageSize(),
                dot ? List.of("dot") : List.of(), config.params());
    }

    public static EnvConfig config(int size, Map<String, String> params) {
        return new EnvConfig("default", size, List.of(), params);
    }

    /** An EnvSource of this env with {@link RandomPolicy}. */
    public static EnvSource source(EnvConfig cfg) {
        return EnvSource.of(() -> new DiscEnv(cfg), RandomPolicy::new);
    }

    /** A policy that fails on its n-th action overall (to simulate a crash mid-generation). */
    public static EnvSource failingAfter(EnvConfig cfg, int n) {
        int[] calls = {0};
        return EnvSource.of(() -> new DiscEnv(cfg), () -> new BehaviourPolicy() {
            final RandomPolicy inner = new RandomPolicy();

            @Override public String name() { return "failing"; }

            @Override public void reset(Environment env, SplittableRandom rng) { inner.reset(env, rng); }

            @Override public float[] act(Environment env) {
                if (++calls[0] >= n) {
                    throw new IllegalStateException("simulated crash after " + n + " actions");
                }
                return inner.act(env);
            }
        });
    }

    @Override public EnvSpec spec() { return spec; }

    @Override
    public void reset(long seed) {
        SplittableRandom r = new SplittableRandom(Seeds.derive(seed, "task"));
        x = (float) (0.2 + 0.6 * r.nextDouble());
        y = (float) (0.2 + 0.6 * r.nextDouble());
        drift = new SplittableRandom(Seeds.derive(seed, "dot"));
        u = (float) drift.nextDouble();
        v = (float) drift.nextDouble();
        t = 0;
    }

    @Override
    public StepResult step(float[] a) {
        x = clamp(x + 0.05f * Math.max(-1, Math.min(1, a[0])));
        y = clamp(y + 0.05f * Math.max(-1, Math.min(1, a[1])));
        if (dot) {
            u = clamp(u + (float) (drift.nextDouble() - 0.5) * 0.1f);
            v = clamp(v + (float) (drift.nextDouble() - 0.5) * 0.1f);
        }
        t++;
        return new StepResult(render(), terminateAfter > 0 && t >= terminateAfter);
    }

    private static float clamp(float f) { return Math.max(0, Math.min(1, f)); }

    @Override
    public RgbImage render() {
        int s = config.imageSize();
        RgbImage img = new RgbImage(s, s);
        img.fill(0xffffff);
        if (dot) {
            img.fillCircle(u * s, v * s, s * 0.08, 0x808080);
        }
        img.fillCircle(x * s, y * s, s * 0.15, 0xff0000);
        return img;
    }

    @Override public float[] state() { return new float[] {x, y}; }

    @Override public void setState(float[] st) { x = st[0]; y = st[1]; }

    @Override public float[] distractorState() { return dot ? new float[] {u, v} : new float[0]; }

    @Override public void setDistractorState(float[] st) { if (dot) { u = st[0]; v = st[1]; } }

    @Override
    public boolean isSuccess(float[] goal) {
        return goalErrorSpec().isMet(goalError(goal));
    }

    @Override
    public GoalErrorSpec goalErrorSpec() {
        return GoalErrorSpec.of("disc_distance", 0.05);
    }

    @Override
    public double[] goalError(float[] goal) {
        return new double[] {Math.hypot(x - goal[0], y - goal[1])};
    }
}
