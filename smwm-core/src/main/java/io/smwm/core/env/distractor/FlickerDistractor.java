package io.smwm.core.env.distractor;

import io.smwm.core.render.RgbImage;
import java.util.SplittableRandom;

/**
 * "flicker": a global brightness and colour-tint change redrawn at random every frame, applied to the whole
 * finished frame in {@link #postProcess}.
 *
 * <p>State (4 floats): [brightness, tint_r, tint_g, tint_b], brightness uniform in [{@link #BRIGHTNESS_MIN},
 * {@link #BRIGHTNESS_MAX}], tints uniform in [{@link #TINT_MIN}, 1]. Each channel value c becomes
 * {@code clamp(round(c · brightness · tint_channel), 0, 255)}.
 */
public final class FlickerDistractor implements Distractor {
    public static final String NAME = "flicker";
    public static final float BRIGHTNESS_MIN = 0.5f;
    public static final float BRIGHTNESS_MAX = 1.2f;
    public static final float TINT_MIN = 0.75f;

    private SplittableRandom rng;
    private final float[] s = new float[4];
    private final byte[] lut = new byte[3 * 256];

    @Override
    public String name() { return NAME; }

    @Override
    public int stateDim() { return 4; }

    @Override
    public void reset(SplittableRandom rng, int width, int height) {
        this.rng = rng;
        draw();
    }

    @Override
    public void step() {
        draw();
    }

    private void draw() {
        s[0] = (float) (BRIGHTNESS_MIN + (BRIGHTNESS_MAX - BRIGHTNESS_MIN) * rng.nextDouble());
        for (int c = 1; c < 4; c++) {
            s[c] = (float) (TINT_MIN + (1 - TINT_MIN) * rng.nextDouble());
        }
    }

    @Override
    public void getState(float[] dst, int off) {
        System.arraycopy(s, 0, dst, off, 4);
    }

    @Override
    public void setState(float[] src, int off) {
        System.arraycopy(src, off, s, 0, 4);
    }

    @Override
    public void postProcess(RgbImage img) {
        for (int c = 0; c < 3; c++) {
            float gain = s[0] * s[c + 1];
            for (int v = 0; v < 256; v++) {
                lut[256 * c + v] = (byte) Math.min(255, Math.round(v * gain));
            }
        }
        byte[] d = img.data();
        for (int i = 0; i < d.length; i += 3) {
            d[i] = lut[d[i] & 0xff];
            d[i + 1] = lut[256 + (d[i + 1] & 0xff)];
            d[i + 2] = lut[512 + (d[i + 2] & 0xff)];
        }
    }
}
