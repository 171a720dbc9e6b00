package io.smwm.data.convert;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Raw uint8 HWC RGB frames to and from encoded images and other layouts. */
public final class Images {
    private Images() {}

    /** A BufferedImage of HWC bytes [h·w·3]. */
    public static BufferedImage toImage(byte[] hwc, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (hwc[3 * i] & 0xff) << 16 | (hwc[3 * i + 1] & 0xff) << 8 | (hwc[3 * i + 2] & 0xff);
        }
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    /** HWC bytes [h·w·3] of img (alpha dropped, grey expanded to RGB). */
    public static byte[] toHwc(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[h * w * 3];
        for (int i = 0; i < px.length; i++) {
            out[3 * i] = (byte) (px[i] >> 16);
            out[3 * i + 1] = (byte) (px[i] >> 8);
            out[3 * i + 2] = (byte) px[i];
        }
        return out;
    }

    /** Decodes PNG or JPEG bytes; throws naming what when they are not an image ImageIO reads. */
    public static BufferedImage decode(byte[] encoded, String what) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
            if (img == null) {
                throw new IllegalArgumentException(what + " is not a PNG or JPEG image (" + encoded.length + " bytes)");
            }
            return img;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** Lossless PNG bytes of HWC bytes [h·w·3]. */
    public static byte[] png(byte[] hwc, int h, int w) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ImageIO.write(toImage(hwc, h, w), "png", bos);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HWC [h·w·3] resized to [outH·outW·3], bilinear. */
    public static byte[] resize(byte[] hwc, int h, int w, int outH, int outW) {
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(toImage(hwc, h, w), 0, 0, outW, outH, null);
        } finally {
            g.dispose();
        }
        return toHwc(out);
    }

    /** CHW [3·h·w] to HWC [h·w·3]. */
    public static byte[] chwToHwc(byte[] chw, int h, int w) {
        byte[] out = new byte[chw.length];
        int plane = h * w;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                out[3 * i + c] = chw[c * plane + i];
            }
        }
        return out;
    }
}
