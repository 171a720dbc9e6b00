package io.smwm.spark.ml;

import io.smwm.core.model.WorldModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side of {@link SmwmEncoder#transform}: one partition's rows in, the same rows with the latent (and
 * action estimate) columns appended out, streamed batch by batch (or episode by episode with action estimates).
 */
final class EncoderTask {
    private EncoderTask() {}

    /** Column positions and model constants; travels in the task closure (primitives only). */
    record Spec(int image, int batchSize, int episode, int frame, int frameskip, int context, int imageBytes)
            implements Serializable {
        boolean actions() { return episode >= 0; }
    }

    static Iterator<Row> run(Iterator<Row> rows, CheckpointFiles files, Spec spec) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        WorldModel model = files.model();
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;
            private Row carry; // the first row of the next episode

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                out.clear();
                next = 0;
                if (spec.actions()) {
                    episode();
                } else {
                    batch();
                }
                return !out.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }

            private void batch() {
                List<Row> in = new ArrayList<>();
                while (in.size() < spec.batchSize() && rows.hasNext()) {
                    in.add(rows.next());
                }
                float[][] z = encode(model, in, spec);
                for (int i = 0; i < in.size(); i++) {
                    out.add(append(in.get(i), z[i] == null ? null : vector(z[i])));
                }
            }

            private void episode() {
                List<Row> in = new ArrayList<>();
                Row r = carry != null ? carry : rows.hasNext() ? rows.next() : null;
                carry = null;
                if (r == null) {
                    return;
                }
                long ep = ((Number) r.get(spec.episode())).longValue();
                in.add(r);
                while (rows.hasNext()) {
                    Row n = rows.next();
                    if (((Number) n.get(spec.episode())).longValue() != ep) {
                        carry = n;
                        break;
                    }
                    in.add(n);
                }
                for (int t = 0; t < in.size(); t++) {
                    long f = ((Number) in.get(t).get(spec.frame())).longValue();
                    if (f != t) {
                        throw new IllegalArgumentException("episode " + ep + ": frame " + t + " has frame index " + f
                                + "; action estimates need each episode's frames consecutive from 0");
                    }
                }
                float[][] z = new float[in.size()][];
                for (int from = 0; from < in.size(); from += spec.batchSize()) {
                    float[][] part = encode(model, in.subList(from, Math.min(in.size(), from + spec.batchSize())), spec);
                    System.arraycopy(part, 0, z, from, part.length);
                }
                float[][] a = actions(model, z, spec);
                for (int t = 0; t < in.size(); t++) {
                    out.add(append(in.get(t), z[t] == null ? null : vector(z[t]), a[t] == null ? null : vector(a[t])));
                }
            }
        };
    }

    /** z [B][latentDim] of the rows' frames; null for a row without an image. */
    static float[][] encode(WorldModel model, List<Row> rows, Spec spec) {
        List<byte[]> frames = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.isNullAt(spec.image())) {
                continue;
            }
            byte[] f = (byte[]) r.get(spec.image());
            if (f.length != spec.imageBytes()) {
                throw new IllegalArgumentException("row " + r + ": the image has " + f.length + " bytes, the model "
                        + "needs " + spec.imageBytes() + " (model.imageSize^2 * 3, raw uint8 HWC)");
            }
            frames.add(f);
            at.add(i);
        }
        float[][] out = new float[rows.size()][];
        if (!frames.isEmpty()) {
            float[][] z = model.encode(frames.toArray(new byte[0][])).toFloatMatrix();
            for (int j = 0; j < z.length; j++) {
                out[at.get(j)] = z[j];
            }
        }
        return out;
    }

    /**
     * â_t [k·m] raw for t + k within the episode: h(s_t, z_{t+k}) with s_t the latents of frames t−(c−1)k, …, t
     * (frame 0 repeated before the start); null elsewhere or where a frame is missing.
     */
    static float[][] actions(WorldModel model, float[][] z, Spec spec) {
        int n = z.length, k = spec.frameskip(), c = spec.context();
        float[][] out = new float[n][];
        List<Integer> ts = new ArrayList<>();
        for (int t = 0; t + k < n; t++) {
            boolean ok = z[t + k] != null;
            for (int j = 0; j < c && ok; j++) {
                ok = z[Math.max(0, t - (c - 1 - j) * k)] != null;
            }
            if (ok) {
                ts.add(t);
            }
        }
        if (ts.isEmpty()) {
            return out;
        }
        int d = z[ts.get(0) + k].length;
        float[][] s = new float[ts.size()][c * d], next = new float[ts.size()][];
        for (int i = 0; i < ts.size(); i++) {
            int t = ts.get(i);
            for (int j = 0; j < c; j++) {
                System.arraycopy(z[Math.max(0, t - (c - 1 - j) * k)], 0, s[i], j * d, d);
            }
            next[i] = z[t + k];
        }
        INDArray norm = model.inferAction(Nd4j.create(s), Nd4j.create(next));
        float[][] raw = model.unnormaliseActions(norm).toFloatMatrix();
        for (int i = 0; i < ts.size(); i++) {
            out[ts.get(i)] = raw[i];
        }
        return out;
    }

    private static Vector vector(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return Vectors.dense(d);
    }

    private static Row append(Row r, Object... extra) {
        Object[] values = new Object[r.length() + extra.length];
        for (int i = 0; i < r.length(); i++) {
            values[i] = r.get(i);
        }
        System.arraycopy(extra, 0, values, r.length(), extra.length);
        return RowFactory.create(values);
    }
}
