package io.smwm.data.convert;

import io.jhdf.api.Dataset;
import io.smwm.core.util.UserError;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableDescription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;

/**
 * stable-worldmodel / LeWM HDF5: one file of per-step datasets over all episodes, concatenated, and the episode
 * index {@code ep_len} [E], {@code ep_offset} [E]:
 * <pre>
 * pixels     [N, H, W, 3] uint8 (or [N, 3, H, W])   action [N, m]: a_t taken from frame t (the last step's is ignored)
 * terminated [N] (optional)                         state columns [N] or [N, d] (default: 'state', else 'proprio')
 * </pre>
 * Episode e is rows ep_offset[e] .. ep_offset[e] + ep_len[e] - 1; it is terminal when {@code terminated} is set on
 * its last row.
 */
final class LeWmHdf5Importer implements TableImporter {
    static final String ID = "lewm-hdf5";
    private static final String EXPECTED = "pixels, action, ep_len, ep_offset (stable-worldmodel HDF5 layout)";

    @Override
    public String id() { return ID; }

    @Override
    public String describe() {
        return "stable-worldmodel/LeWM HDF5: pixels, action, ep_len, ep_offset, optional terminated and state columns";
    }

    @Override
    public Source open(Configuration conf, String src, ImportOptions o) throws IOException {
        Hdf5.Opened h = Hdf5.open(conf, src, ID);
        try {
            String imageKey = o.imageKey() == null ? "pixels" : o.imageKey();
            Dataset pixels = Hdf5.need(h.file(), imageKey, ID, EXPECTED);
            Dataset action = Hdf5.need(h.file(), "action", ID, EXPECTED);
            long[] len = longs(Hdf5.need(h.file(), "ep_len", ID, EXPECTED));
            long[] off = longs(Hdf5.need(h.file(), "ep_offset", ID, EXPECTED));
            Episodes.Layout layout = Episodes.Layout.of(pixels.getDimensions(), ID + " '" + imageKey + "'");
            long n = pixels.getDimensions()[0];
            if (len.length != off.length) {
                throw new UserError(ID + " source: ep_len has " + len.length + " entries, ep_offset " + off.length);
            }
            if (action.getDimensions()[0] != n) {
                throw new UserError(ID + " source: action has " + action.getDimensions()[0] + " rows, pixels " + n);
            }
            for (int e = 0; e < len.length; e++) {
                if (len[e] < 1 || off[e] < 0 || off[e] + len[e] > n) {
                    throw new UserError(ID + " source: episode " + e + " (ep_offset " + off[e] + ", ep_len " + len[e]
                            + ") lies outside the " + n + " rows of '" + imageKey + "'");
                }
            }
            List<Dataset> states = new ArrayList<>();
            List<String> keys = o.stateKeys() != null ? o.stateKeys()
                    : Hdf5.child(h.file(), "state") != null ? List.of("state")
                    : Hdf5.child(h.file(), "proprio") != null ? List.of("proprio") : List.of();
            for (String k : keys) {
                Dataset d = Hdf5.need(h.file(), k, ID, "state column '" + k + "' given by --state-keys");
                if (d.getDimensions()[0] != n) {
                    throw new UserError(ID + " source: state column '" + k + "' has " + d.getDimensions()[0]
                            + " rows, pixels " + n);
                }
                states.add(d);
            }
            Dataset terminated = Hdf5.child(h.file(), "terminated") instanceof Dataset d ? d : null;
            String name = new org.apache.hadoop.fs.Path(src).getName().replaceFirst("\\.(h5|hdf5)$", "");
            TableDescription desc = TableDescription.of(o.envId() != null ? o.envId() : ID + ":" + name, "default",
                    o.frameskip());
            return new LeWmSource(h, desc, pixels, layout, action, states, terminated, len, off);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private static long[] longs(Dataset d) {
        double[] v = Hdf5.doubles(d.getData());
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }

    private record LeWmSource(Hdf5.Opened h, TableDescription description, Dataset pixels, Episodes.Layout layout,
                              Dataset action, List<Dataset> states, Dataset terminated, long[] len, long[] off)
            implements Source {
        @Override
        public long episodes() { return len.length; }

        @Override
        public Iterator<Episode> iterator() {
            return new Iterator<>() {
                int e = 0;

                @Override
                public boolean hasNext() { return e < len.length; }

                @Override
                public Episode next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int n = (int) len[e];
                    long o = off[e];
                    byte[][] frames = layout.read(pixels, o, n);
                    float[][] a = Hdf5.rows(action, o, n);
                    float[][] s = null;
                    if (!states.isEmpty()) {
                        s = new float[n][0];
                        for (Dataset d : states) {
                            float[][] part = Hdf5.rows(d, o, n);
                            for (int t = 0; t < n; t++) {
                                float[] c = java.util.Arrays.copyOf(s[t], s[t].length + part[t].length);
                                System.arraycopy(part[t], 0, c, s[t].length, part[t].length);
                                s[t] = c;
                            }
                        }
                    }
                    boolean term = terminated != null && Hdf5.rows(terminated, o + n - 1, 1)[0][0] != 0;
                    return Episodes.of(e++, layout.height(), layout.width(), frames, a, Hdf5.cols(action), s, term, ID);
                }
            };
        }

        @Override
        public void close() throws IOException {
            h.close();
        }
    }
}
