package io.smwm.data.convert;

import io.jhdf.api.Dataset;
import io.smwm.core.util.UserError;
import io.smwm.data.table.Episode;

/** Building table episodes from the per-frame arrays importers read. */
final class Episodes {
    private Episodes() {}

    /**
     * An episode of frames.length frames. actions has one row per step taken from a frame: frames.length rows (the
     * last row, the action after the last frame, is dropped: the table's last action is zeros) or frames.length-1.
     * Non-finite actions of real steps are refused naming the episode and step.
     */
    static Episode of(long index, int h, int w, byte[][] frames, float[][] actions, int actionDim, float[][] states,
                      boolean terminal, String format) {
        int n = frames.length;
        if (n < 1) {
            throw new UserError(format + " episode " + index + " has no frames");
        }
        float[][] a = new float[n][];
        for (int t = 0; t < n - 1; t++) {
            float[] row = actions[t];
            for (int j = 0; j < row.length; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new UserError(format + " episode " + index + " step " + t + ": action[" + j + "] = " + row[j]
                            + " (only the action after the last frame may be missing)");
                }
            }
            a[t] = row;
        }
        a[n - 1] = new float[actionDim];
        float[][] s = states != null ? states : new float[n][0];
        return new Episode(index, w, h, frames, s, new float[n][0], a, terminal);
    }

    /** The frame layout of a 4-D pixel dataset: [N, H, W, 3] (HWC) or [N, 3, H, W] (CHW). */
    record Layout(int height, int width, boolean chw) {
        static Layout of(int[] dims, String what) {
            if (dims.length == 4 && dims[3] == 3) {
                return new Layout(dims[1], dims[2], false);
            }
            if (dims.length == 4 && dims[1] == 3) {
                return new Layout(dims[2], dims[3], true);
            }
            throw new UserError(what + " must be RGB frames [N, H, W, 3] or [N, 3, H, W], got shape "
                    + java.util.Arrays.toString(dims));
        }

        /** Frames offset..offset+n-1 of d as HWC bytes. */
        byte[][] read(Dataset d, long offset, int n) {
            int fb = height * width * 3;
            byte[] flat = Hdf5.bytes(d.getData(new long[] {offset, 0, 0, 0},
                    chw ? new int[] {n, 3, height, width} : new int[] {n, height, width, 3}));
            byte[][] out = new byte[n][];
            for (int i = 0; i < n; i++) {
                byte[] f = java.util.Arrays.copyOfRange(flat, i * fb, (i + 1) * fb);
                out[i] = chw ? Images.chwToHwc(f, height, width) : f;
            }
            return out;
        }
    }
}
