import io.smwm.data.maintain.TableFinalizer;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.TrajectoryWriter;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A pixel probe's table: a copy of an SMWM trajectory table (frames and states as they are) whose actions are
 * replaced by the task state, so that training a world model on it makes the inverse model h(z_t, z_{t+k}) a
 * supervised probe of that state from the frames. If h learns it, the encoder at this frame size can read it.
 *
 * <p>Usage: {@code RelabelActions SRC DST EPISODES --angle I} (action = 0.9·(cos, sin) of state column I, for a
 * 2-D action) or {@code RelabelActions SRC DST EPISODES --columns I,J,...} (action = those state columns, clipped to
 * [-1, 1]; one per action dimension). The first EPISODES episodes are copied into DST/data/part-00000.parquet and
 * DST's metadata is built from the data ({@link TableFinalizer}, which validates it). The last frame's action stays
 * zero, as the table format requires.
 */
public final class RelabelActions {
    public static void main(String[] args) throws Exception {
        if (args.length != 5 || !(args[3].equals("--angle") || args[3].equals("--columns"))) {
            System.err.println("usage: RelabelActions SRC DST EPISODES --angle I | --columns I,J,...");
            System.exit(2);
        }
        String src = args[0], dst = args[1];
        int max = Integer.parseInt(args[2]);
        boolean angle = args[3].equals("--angle");
        String[] parts = args[4].split(",");
        int[] cols = new int[parts.length];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = Integer.parseInt(parts[i].trim());
        }
        Configuration conf = new Configuration();
        if (new java.io.File(dst).exists()) {
            throw new IllegalArgumentException(dst + " exists; pick a new directory");
        }
        TableMetadata meta;
        try (TrajectoryReader r = TrajectoryReader.open(src)) {
            meta = r.metadata();
        }
        int m = meta.action().dim();
        if (angle ? m != 2 || cols.length != 1 : cols.length != m) {
            throw new IllegalArgumentException("the table's action has " + m + " dimensions; --angle needs 2 "
                    + "and one column, --columns one column per dimension");
        }
        for (int c : cols) {
            if (c < 0 || c >= meta.state().dim()) {
                throw new IllegalArgumentException("state column " + c + " is not in 0.." + (meta.state().dim() - 1)
                        + " " + meta.state().names());
            }
        }
        int written = 0;
        try (TrajectoryReader r = TrajectoryReader.open(src);
             TrajectoryWriter w = TrajectoryWriter.create(conf, new Path(dst + "/data/part-00000.parquet"))) {
            Iterator<Episode> it = r.episodes();
            while (it.hasNext() && written < max) {
                Episode e = it.next();
                float[][] a = new float[e.actions().length][m];
                for (int t = 0; t + 1 < a.length; t++) {
                    float[] s = e.states()[t];
                    if (angle) {
                        a[t][0] = (float) (0.9 * Math.cos(s[cols[0]]));
                        a[t][1] = (float) (0.9 * Math.sin(s[cols[0]]));
                    } else {
                        for (int j = 0; j < m; j++) {
                            a[t][j] = Math.max(-1f, Math.min(1f, s[cols[j]]));
                        }
                    }
                }
                w.write(new Episode(e.episodeIndex(), e.imageWidth(), e.imageHeight(), e.frames(), e.states(),
                        e.distractorStates(), a, e.terminal()));
                written++;
            }
        }
        TableFinalizer.finalizeTable(conf, dst, new TableFinalizer.Options(meta.env().id(), meta.env().variant(),
                meta.frameskip(), meta.image().height(), meta.image().width(), false));
        System.out.println("wrote " + written + " episodes to " + dst);
    }
}
