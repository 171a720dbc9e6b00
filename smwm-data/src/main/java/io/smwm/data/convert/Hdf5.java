package io.smwm.data.convert;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.smwm.core.util.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * HDF5 access through jhdf (pure Java): opening a local or Hadoop-path file, finding datasets with messages that
 * name what is missing, and flattening jhdf's Java arrays (signed types as themselves, unsigned ones widened: uint8
 * arrives as int) into the primitive arrays the importers need.
 */
final class Hdf5 {
    private Hdf5() {}

    /** An open HDF5 file, with the temporary local copy made for a non-local path (removed on close). */
    record Opened(HdfFile file, java.nio.file.Path localCopy) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            file.close();
            if (localCopy != null) {
                Files.deleteIfExists(localCopy);
            }
        }
    }

    /** Opens src: a local file directly, any other Hadoop path through a temporary local copy. */
    static Opened open(Configuration conf, String src, String format) throws IOException {
        Path p = new Path(src);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p) || !fs.getFileStatus(p).isFile()) {
            throw new UserError(format + " source " + src + " is not a file (expected an HDF5 file)");
        }
        java.nio.file.Path local = null;
        java.nio.file.Path file;
        if ("file".equals(fs.getUri().getScheme())) {
            file = java.nio.file.Path.of(fs.makeQualified(p).toUri());
        } else {
            local = Files.createTempFile("smwm-import-", ".h5");
            try (InputStream in = fs.open(p)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
            file = local;
        }
        try {
            return new Opened(new HdfFile(file), local);
        } catch (RuntimeException e) {
            if (local != null) {
                Files.deleteIfExists(local);
            }
            throw new UserError(format + " source " + src + " is not a readable HDF5 file: " + e.getMessage(), e);
        }
    }

    /** The dataset at path under g; a UserError naming it and what g holds otherwise. */
    static Dataset need(Group g, String path, String format, String expected) {
        Node n;
        try {
            n = g.getByPath(path);
        } catch (RuntimeException e) { // jhdf throws for a path that does not exist
            n = null;
        }
        if (n == null) {
            throw new UserError(format + " source has no dataset '" + where(g, path) + "' (expected " + expected
                    + "; found " + children(g) + ")");
        }
        if (!(n instanceof Dataset d)) {
            throw new UserError(format + " source: '" + where(g, path) + "' is a group, expected a dataset ("
                    + expected + ")");
        }
        return d;
    }

    /** The child node, or null (jhdf throws for a missing path). */
    static Node child(Group g, String name) {
        return g.getChildren().get(name);
    }

    static String where(Group g, String path) {
        String base = g.getPath();
        return (base == null || base.equals("/") ? "" : base) + path;
    }

    static List<String> children(Group g) {
        return new ArrayList<>(g.getChildren().keySet()).stream().sorted().toList();
    }

    /** The values of an N-D numeric or boolean array as doubles, flattened in C order. */
    static double[] doubles(Object data) {
        List<Object> leaves = new ArrayList<>();
        leaves(data, leaves);
        int n = 0;
        for (Object l : leaves) {
            n += Array.getLength(l);
        }
        double[] out = new double[n];
        int i = 0;
        for (Object l : leaves) {
            if (l instanceof double[] a) {
                for (double v : a) out[i++] = v;
            } else if (l instanceof float[] a) {
                for (float v : a) out[i++] = v;
            } else if (l instanceof long[] a) {
                for (long v : a) out[i++] = v;
            } else if (l instanceof int[] a) {
                for (int v : a) out[i++] = v;
            } else if (l instanceof short[] a) {
                for (short v : a) out[i++] = v;
            } else if (l instanceof byte[] a) {
                for (byte v : a) out[i++] = v;
            } else if (l instanceof boolean[] a) {
                for (boolean v : a) out[i++] = v ? 1 : 0;
            } else if (l instanceof String[] a) { // h5py bools read as an enum of FALSE/TRUE
                for (String v : a) out[i++] = "TRUE".equalsIgnoreCase(v) || "1".equals(v) ? 1 : 0;
            } else {
                throw new IllegalArgumentException("unsupported HDF5 element type " + l.getClass().getComponentType());
            }
        }
        return out;
    }

    /** The values of an N-D integer array as bytes (uint8 pixels), flattened in C order. */
    static byte[] bytes(Object data) {
        if (data instanceof byte[] b) {
            return b;
        }
        List<Object> leaves = new ArrayList<>();
        leaves(data, leaves);
        int n = 0;
        for (Object l : leaves) {
            n += Array.getLength(l);
        }
        byte[] out = new byte[n];
        int i = 0;
        for (Object l : leaves) {
            if (l instanceof byte[] a) {
                System.arraycopy(a, 0, out, i, a.length);
                i += a.length;
            } else if (l instanceof int[] a) {
                for (int v : a) out[i++] = (byte) v;
            } else if (l instanceof short[] a) {
                for (short v : a) out[i++] = (byte) v;
            } else if (l instanceof long[] a) {
                for (long v : a) out[i++] = (byte) v;
            } else {
                throw new UserError("image data must be uint8, found " + l.getClass().getComponentType()
                        + " (convert the images to uint8 first)");
            }
        }
        return out;
    }

    private static void leaves(Object a, List<Object> out) {
        if (a == null || !a.getClass().isArray()) {
            throw new IllegalArgumentException("not an array: " + a);
        }
        if (!a.getClass().getComponentType().isArray()) {
            out.add(a);
            return;
        }
        for (int i = 0, n = Array.getLength(a); i < n; i++) {
            leaves(Array.get(a, i), out);
        }
    }

    /** rows [n][cols] of a 1-D (cols = 1) or 2-D (cols = dim 1) numeric dataset slice read at row offset. */
    static float[][] rows(Dataset d, long offset, int n) {
        int[] dims = d.getDimensions();
        int cols = dims.length == 1 ? 1 : Arrays.stream(dims).skip(1).reduce(1, (a, b) -> a * b);
        int[] shape = dims.clone();
        shape[0] = n;
        long[] off = new long[dims.length];
        off[0] = offset;
        double[] flat = n == 0 ? new double[0] : doubles(d.getData(off, shape));
        float[][] out = new float[n][cols];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = (float) flat[i * cols + j];
            }
        }
        return out;
    }

    /** Columns per row of a dataset whose first dimension counts rows. */
    static int cols(Dataset d) {
        int[] dims = d.getDimensions();
        int c = 1;
        for (int i = 1; i < dims.length; i++) {
            c *= dims[i];
        }
        return c;
    }
}
