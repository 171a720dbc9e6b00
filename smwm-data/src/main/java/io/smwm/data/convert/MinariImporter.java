package io.smwm.data.convert;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.smwm.core.util.UserError;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableDescription;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Minari HDF5: a dataset directory with {@code data/main_data.hdf5} (or that file itself), one group per episode:
 * <pre>
 * episode_N/observations  [T+1, H, W, 3] uint8, or a group of them (the image: --image-key or the only RGB
 *                         dataset; observation_state: --state-keys or the group's other [T+1] / [T+1, d] datasets)
 * episode_N/actions       [T, m] (or [T])   episode_N/terminations [T]   episode_N/truncations [T]
 * </pre>
 * Episodes are taken in order of N; an episode is terminal when its last termination flag is set.
 */
final class MinariImporter implements TableImporter {
    static final String ID = "minari";
    private static final String EXPECTED = "episode_*/observations, actions, terminations, truncations (Minari)";

    @Override
    public String id() { return ID; }

    @Override
    public String describe() {
        return "Minari HDF5 (DIR/data/main_data.hdf5 or the file): episode_*/observations, actions, terminations, "
                + "truncations";
    }

    @Override
    public Source open(Configuration conf, String src, ImportOptions o) throws IOException {
        Path p = new Path(src);
        FileSystem fs = p.getFileSystem(conf);
        String file = src;
        String name = p.getName();
        if (fs.exists(p) && fs.getFileStatus(p).isDirectory()) {
            Path main = new Path(new Path(p, "data"), "main_data.hdf5");
            if (!fs.exists(main)) {
                throw new UserError(ID + " source " + src + " is a directory without data/main_data.hdf5");
            }
            file = main.toString();
        } else {
            name = name.replaceFirst("\\.(h5|hdf5)$", "");
        }
        Hdf5.Opened h = Hdf5.open(conf, file, ID);
        try {
            List<Group> episodes = new ArrayList<>();
            for (Node n : h.file()) {
                if (n instanceof Group g && n.getName().matches("episode_\\d+")) {
                    episodes.add(g);
                }
            }
            if (episodes.isEmpty()) {
                throw new UserError(ID + " source " + src + " has no episode_* groups (expected " + EXPECTED
                        + "; found " + Hdf5.children(h.file()) + ")");
            }
            episodes.sort(Comparator.comparingLong(g -> Long.parseLong(g.getName().substring(8))));
            for (Group g : episodes) { // check every episode's layout before writing anything
                for (String k : List.of("observations", "actions", "terminations", "truncations")) {
                    if (Hdf5.child(g, k) == null) {
                        throw new UserError(ID + " source has no dataset '" + g.getPath() + k + "' (expected "
                                + EXPECTED + "; found " + Hdf5.children(g) + ")");
                    }
                }
            }
            Group first = episodes.get(0);
            String imageKey = null;
            List<String> stateKeys = List.of();
            if (Hdf5.child(first, "observations") instanceof Group obs) {
                imageKey = o.imageKey() != null ? o.imageKey() : onlyImage(obs);
                Hdf5.need(obs, imageKey, ID, "the image dataset named by --image-key");
                if (o.stateKeys() != null) {
                    stateKeys = o.stateKeys();
                } else {
                    List<String> s = new ArrayList<>();
                    for (Node n : obs) {
                        if (n instanceof Dataset d && !n.getName().equals(imageKey) && d.getDimensions().length <= 2) {
                            s.add(n.getName());
                        }
                    }
                    s.sort(null);
                    stateKeys = s;
                }
            }
            TableDescription desc = TableDescription.of(o.envId() != null ? o.envId() : ID + ":" + name, "default",
                    o.frameskip());
            return new MinariSource(h, desc, episodes, imageKey, stateKeys);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private static String onlyImage(Group obs) {
        List<String> images = new ArrayList<>();
        for (Node n : obs) {
            if (n instanceof Dataset d && d.getDimensions().length == 4) {
                images.add(n.getName());
            }
        }
        if (images.size() != 1) {
            throw new UserError(ID + " source: " + obs.getPath() + " holds " + (images.isEmpty() ? "no" : images.size())
                    + " image datasets " + images + "; name one with --image-key");
        }
        return images.get(0);
    }

    private record MinariSource(Hdf5.Opened h, TableDescription description, List<Group> groups, String imageKey,
                                List<String> stateKeys) implements Source {
        @Override
        public long episodes() { return groups.size(); }

        @Override
        public Iterator<Episode> iterator() {
            return new Iterator<>() {
                int e = 0;

                @Override
                public boolean hasNext() { return e < groups.size(); }

                @Override
                public Episode next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Group g = groups.get(e);
                    Node obsNode = Hdf5.child(g, "observations");
                    Dataset img = obsNode instanceof Group obs ? Hdf5.need(obs, imageKey, ID, "the image dataset")
                            : (Dataset) obsNode;
                    Episodes.Layout layout = Episodes.Layout.of(img.getDimensions(), ID + " " + img.getPath());
                    int n = img.getDimensions()[0];
                    Dataset actions = Hdf5.need(g, "actions", ID, EXPECTED);
                    if (actions.getDimensions()[0] != n - 1) {
                        throw new UserError(ID + " " + g.getPath() + ": actions has " + actions.getDimensions()[0]
                                + " rows, observations " + n + " (expected one action fewer than observations)");
                    }
                    float[][] a = Hdf5.rows(actions, 0, n - 1);
                    float[][] s = null;
                    if (!stateKeys.isEmpty()) {
                        Group obs = (Group) obsNode;
                        s = new float[n][0];
                        for (String k : stateKeys) {
                            float[][] part = Hdf5.rows(Hdf5.need(obs, k, ID, "state dataset '" + k + "'"), 0, n);
                            for (int t = 0; t < n; t++) {
                                float[] c = java.util.Arrays.copyOf(s[t], s[t].length + part[t].length);
                                System.arraycopy(part[t], 0, c, s[t].length, part[t].length);
                                s[t] = c;
                            }
                        }
                    }
                    Dataset term = Hdf5.need(g, "terminations", ID, EXPECTED);
                    boolean terminal = n > 1 && Hdf5.rows(term, n - 2, 1)[0][0] != 0;
                    return Episodes.of(e++, layout.height(), layout.width(), layout.read(img, 0, n), a,
                            Hdf5.cols(actions), s, terminal, ID);
                }
            };
        }

        @Override
        public void close() throws IOException {
            h.close();
        }
    }
}
