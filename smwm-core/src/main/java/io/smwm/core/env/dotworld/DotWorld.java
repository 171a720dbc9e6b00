package io.smwm.core.env.dotworld;

import io.smwm.core.env.AbstractEnvironment;
import io.smwm.core.env.EnvConfig;
import io.smwm.core.env.EnvSpec;
import io.smwm.core.env.GoalErrorSpec;
import io.smwm.core.render.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dot world of the paper's representation analysis: dots on a white square canvas, some moved by the
 * action, some moving at random (distractors), some static.
 *
 * <p><b>Units.</b> Positions are in arena units: [0,1] across the frame, x to the right, y downwards; pixel
 * coordinate = position · imageSize. The dot radius is 2 px at 64 px ({@link #RADIUS} = 1/32 of the side, scaled
 * with the image size). One primitive step moves a dot by {@code a · }{@link #MAX_STEP} per axis, i.e. at most
 * 16 px at 64 px (16/64 of the side); a RANDOM dot moves by a displacement drawn uniformly from
 * [-MAX_STEP, MAX_STEP] per axis from the task stream.
 *
 * <p><b>Boundary rule.</b> After every move each dot's centre is clamped to [RADIUS, 1 − RADIUS] per axis, so
 * every dot stays entirely inside the frame. The two dots of a COUPLED pair are clamped independently: their
 * offset is preserved except when one of them is pushed against the border.
 *
 * <p><b>Action.</b> a ∈ [-1,1]^m; each INDEPENDENT dot and each COUPLED pair owns one (dx, dy) pair of components,
 * in layout order. m = 2 · (#independent dots + #coupled pairs).
 *
 * <p><b>Task state.</b> [x_0, y_0, x_1, y_1, …]: the positions of all dots in layout order, 2·n floats in [0,1]
 * (see {@link #dots()} for each dot's motion type; state names are "dot{i}_{type}_x/y"). RANDOM dots are scene
 * objects and are part of the state, but not controllable: {@link #controllableStateIndices()} lists the indices
 * the action can change. The random displacement stream is not part of the state: after {@link #setState} the
 * random dots continue with the stream seeded by the last reset.
 *
 * <p><b>Variants</b> (layout string in brackets, see {@link #parseLayout}): {@code single} [i] m=2,
 * {@code independent} [i,i] m=4, {@code coupled} [c] m=2, {@code distractor} [i,r] m=2, {@code combined}
 * [c,i,i,r] m=6. The optional parameter {@code layout} overrides the variant's layout (e.g. "i,s,r" for tests);
 * the optional parameter {@code start} ({@value #START_ANYWHERE} or {@value #START_CENTRAL}) sets where dots start.
 *
 * <p><b>Success.</b> Every controllable dot lies closer than {@link #SUCCESS_RADIUS} (Euclidean, arena units) to
 * its position in the goal state; random and static dots are ignored. The goal error is the largest such distance
 * over the controllable dots, {@value #GOAL_ERROR_NAME}. Episodes never terminate.
 *
 * <p><b>Colours.</b> Dot i gets {@code PALETTE[i % PALETTE.length]}: distinct saturated colours for up to 10 dots.
 */
public final class DotWorld extends AbstractEnvironment {
    /** Registry id. */
    public static final String ID = "dotworld";
    /** Dot radius in arena units (2 px at 64 px). */
    public static final double RADIUS = 2.0 / 64.0;
    /** Largest per-axis displacement per step in arena units (16 px at 64 px). */
    public static final double MAX_STEP = 16.0 / 64.0;
    /** Success radius in arena units. */
    public static final double SUCCESS_RADIUS = 0.05;
    /** The goal error's one component: the largest distance of a controllable dot to its goal position. */
    public static final String GOAL_ERROR_NAME = "max_dot_distance";
    private static final GoalErrorSpec GOAL_ERROR = GoalErrorSpec.of(GOAL_ERROR_NAME, SUCCESS_RADIUS);
    /** Named variants and their layouts, in registry order (the first is the default). */
    public static final Map<String, String> VARIANT_LAYOUTS;
    /** The parameter keys this task accepts. */
    public static final List<String> PARAM_KEYS = List.of("layout", "start");
    /** Start distribution {@code anywhere} (default): each dot's centre uniform in [RADIUS, 1 − RADIUS]. */
    public static final String START_ANYWHERE = "anywhere";
    /**
     * Start distribution {@code central}: each dot's centre uniform in [RADIUS + MAX_STEP, 1 − RADIUS − MAX_STEP]
     * (18..46 px at 64 px), so that no move of one step can reach the border. This is how the paper's toy data is
     * sampled: independent one-step transitions from central starts (use with one step per episode).
     */
    public static final String START_CENTRAL = "central";

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("single", "i");
        m.put("independent", "i,i");
        m.put("coupled", "c");
        m.put("distractor", "i,r");
        m.put("combined", "c,i,i,r");
        VARIANT_LAYOUTS = java.util.Collections.unmodifiableMap(m);
    }

    /** Distinct saturated colours (0xRRGGBB). */
    static final int[] PALETTE = {0xe6194b, 0x1f5fe6, 0x2ca02c, 0xff8c00, 0x9b30ff, 0x00b5c8, 0xe6c800,
                                  0xff1493, 0x8b4513, 0x000000};

    /**
     * One dot.
     *
     * @param type         how it moves
     * @param actionOffset index of its dx component in the action (dy is the next), or -1 if not controlled
     */
    public record Dot(MotionType type, int actionOffset) {}

    private final String layout;
    private final boolean centralStart;
    private final List<Dot> dots;
    private final int actionDim;
    private final int[] controllable;
    /** Dot positions [x0, y0, x1, y1, ...], always float-representable (rounded after every update). */
    private final float[] pos;

    public DotWorld(EnvConfig config) {
        super(config);
        checkParams(ID, java.util.Set.copyOf(PARAM_KEYS));
        String variant = config.variant();
        String fromVariant = VARIANT_LAYOUTS.get(variant);
        if (fromVariant == null && !"default".equals(variant)) {
            throw new IllegalArgumentException("unknown variant '" + variant + "' for " + ID + "; valid: "
                    + VARIANT_LAYOUTS.keySet());
        }
        if (fromVariant == null) {
            fromVariant = VARIANT_LAYOUTS.get("single");
        }
        this.layout = config.params().getOrDefault("layout", fromVariant);
        this.dots = parseLayout(layout);
        String start = config.params().getOrDefault("start", START_ANYWHERE);
        if (!START_ANYWHERE.equals(start) && !START_CENTRAL.equals(start)) {
            throw new IllegalArgumentException(ID + ": bad start '" + start + "'; valid: " + START_ANYWHERE + ", "
                    + START_CENTRAL);
        }
        this.centralStart = START_CENTRAL.equals(start);
        int m = 0;
        List<Integer> ctrl = new ArrayList<>();
        for (int i = 0; i < dots.size(); i++) {
            Dot d = dots.get(i);
            m = Math.max(m, d.actionOffset() + 2);
            if (d.type().controllable()) {
                ctrl.add(2 * i);
                ctrl.add(2 * i + 1);
            }
        }
        this.actionDim = m;
        this.controllable = ctrl.stream().mapToInt(Integer::intValue).toArray();
        this.pos = new float[2 * dots.size()];
    }

    /**
     * Parses a layout: comma-separated tokens, "i" one INDEPENDENT dot, "c" one COUPLED pair (two dots), "r" one
     * RANDOM dot, "s" one STATIC dot. Action pairs are assigned in token order.
     */
    public static List<Dot> parseLayout(String layout) {
        List<Dot> out = new ArrayList<>();
        int a = 0;
        for (String raw : layout.split(",")) {
            String t = raw.trim().toLowerCase(java.util.Locale.ROOT);
            switch (t) {
                case "i" -> { out.add(new Dot(MotionType.INDEPENDENT, a)); a += 2; }
                case "c" -> {
                    out.add(new Dot(MotionType.COUPLED, a));
                    out.add(new Dot(MotionType.COUPLED, a));
                    a += 2;
                }
                case "r" -> out.add(new Dot(MotionType.RANDOM, -1));
                case "s" -> out.add(new Dot(MotionType.STATIC, -1));
                default -> throw new IllegalArgumentException(ID + ": bad layout token '" + raw + "' in '" + layout
                        + "'; valid tokens: i (independent dot), c (coupled pair), r (random dot), s (static dot)");
            }
        }
        if (a == 0) {
            throw new IllegalArgumentException(ID + ": layout '" + layout + "' has no controllable dot");
        }
        return out;
    }

    /** The dots in state order. */
    public List<Dot> dots() {
        return dots;
    }

    /** Indices into {@link #state()} that the action can change (x and y of INDEPENDENT and COUPLED dots). */
    @Override
    public int[] controllableStateIndices() {
        return controllable.clone();
    }

    /** Indices into {@link #state()} of the RANDOM (distractor) dots' x and y. */
    public int[] randomStateIndices() {
        return typeIndices(MotionType.RANDOM);
    }

    @Override
    public int[] uncontrolledStateIndices() {
        return randomStateIndices();
    }

    private int[] typeIndices(MotionType type) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < dots.size(); i++) {
            if (dots.get(i).type() == type) {
                out.add(2 * i);
                out.add(2 * i + 1);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The first controllable dot's (x, y). */
    @Override
    public int[] positionStateIndices() {
        return new int[] {controllable[0], controllable[1]};
    }

    @Override
    protected EnvSpec buildSpec() {
        float[] lo = new float[actionDim], hi = new float[actionDim];
        Arrays.fill(lo, -1f);
        Arrays.fill(hi, 1f);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dots.size(); i++) {
            String p = "dot" + i + "_" + dots.get(i).type().name().toLowerCase(java.util.Locale.ROOT);
            names.add(p + "_x");
            names.add(p + "_y");
        }
        String variant = VARIANT_LAYOUTS.containsKey(config.variant()) ? config.variant() : "single";
        Map<String, String> params = new LinkedHashMap<>();
        params.put("layout", layout);
        params.put("start", centralStart ? START_CENTRAL : START_ANYWHERE);
        params.put("radius", Double.toString(RADIUS));
        params.put("maxStep", Double.toString(MAX_STEP));
        params.put("successRadius", Double.toString(SUCCESS_RADIUS));
        return new EnvSpec(ID, variant, actionDim, lo, hi, pos.length, names, distractorStateDim(),
                config.imageSize(), config.imageSize(), config.distractors(), params);
    }

    @Override
    protected void resetTask() {
        double lo = centralStart ? RADIUS + MAX_STEP : RADIUS;
        for (int i = 0; i < pos.length; i++) {
            pos[i] = clamp(lo + (1 - 2 * lo) * rng.nextDouble());
        }
    }

    @Override
    protected boolean stepTask(float[] a) {
        for (int i = 0; i < dots.size(); i++) {
            Dot d = dots.get(i);
            double dx, dy;
            switch (d.type()) {
                case INDEPENDENT, COUPLED -> {
                    dx = a[d.actionOffset()] * MAX_STEP;
                    dy = a[d.actionOffset() + 1] * MAX_STEP;
                }
                case RANDOM -> {
                    dx = (2 * rng.nextDouble() - 1) * MAX_STEP;
                    dy = (2 * rng.nextDouble() - 1) * MAX_STEP;
                }
                default -> {
                    continue;
                }
            }
            pos[2 * i] = clamp(pos[2 * i] + dx);
            pos[2 * i + 1] = clamp(pos[2 * i + 1] + dy);
        }
        return false;
    }

    private static float clamp(double v) {
        return (float) Math.max(RADIUS, Math.min(1 - RADIUS, v));
    }

    @Override
    protected void drawScene(RgbImage img) {
        double s = config.imageSize();
        double r = RADIUS * s;
        for (int i = 0; i < dots.size(); i++) {
            img.fillCircle(pos[2 * i] * s, pos[2 * i + 1] * s, r, PALETTE[i % PALETTE.length]);
        }
    }

    @Override
    public float[] state() {
        return pos.clone();
    }

    @Override
    public void setState(float[] state) {
        checkState(state);
        for (int i = 0; i < state.length; i++) {
            if (!(state[i] >= 0f && state[i] <= 1f)) {
                throw new IllegalArgumentException(ID + ": state[" + i + "] (" + spec().stateNames().get(i)
                        + ") must be in [0,1], got " + state[i]);
            }
        }
        System.arraycopy(state, 0, pos, 0, pos.length);
    }

    @Override
    public GoalErrorSpec goalErrorSpec() {
        return GOAL_ERROR;
    }

    /** [max over the controllable dots of a dot's distance to its goal position]; success below SUCCESS_RADIUS. */
    @Override
    public double[] goalError(float[] goalState) {
        checkState(goalState);
        double worst = 0;
        for (int k = 0; k < controllable.length; k += 2) {
            int ix = controllable[k];
            double dx = (double) pos[ix] - goalState[ix], dy = (double) pos[ix + 1] - goalState[ix + 1];
            worst = Math.max(worst, Math.sqrt(dx * dx + dy * dy));
        }
        return new double[] {worst};
    }
}
