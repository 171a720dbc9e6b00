package io.smwm.data.inspect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Streaming histograms of a table feature (action or state), one per dimension, over fixed bins spanning that
 * dimension's [min, max] from the table's stats: values are added episode by episode, so nothing is held but the
 * counts. A value outside [min, max] (stale stats) goes to the nearest end bin; non-finite values are not counted.
 */
final class FeatureHistograms {
    private final List<String> names;
    private final double[] lo, hi;
    private final long[][] counts;

    /**
     * @param names names of the dimensions (d of them)
     * @param min   per-dimension minimum [d]
     * @param max   per-dimension maximum [d]; a dimension with max == min gets one unit-wide range around it
     * @param bins  bins per dimension, at least 1
     */
    FeatureHistograms(List<String> names, double[] min, double[] max, int bins) {
        if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, got " + bins);
        if (min.length != names.size() || max.length != names.size())
            throw new IllegalArgumentException(names.size() + " names but " + min.length + "/" + max.length
                    + " ranges");
        this.names = List.copyOf(names);
        int d = names.size();
        lo = new double[d];
        hi = new double[d];
        counts = new long[d][bins];
        for (int i = 0; i < d; i++) {
            lo[i] = min[i];
            hi[i] = max[i];
            if (!(hi[i] > lo[i])) {
                lo[i] -= 0.5;
                hi[i] = lo[i] + 1;
            }
        }
    }

    /** Adds the first {@code n} rows of {@code rows} ([T][d]). */
    void add(float[][] rows, int n) {
        int bins = counts.length == 0 ? 0 : counts[0].length;
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < lo.length; i++) {
                double v = rows[t][i];
                if (!Double.isFinite(v)) continue;
                int b = (int) Math.floor((v - lo[i]) / (hi[i] - lo[i]) * bins);
                counts[i][Math.max(0, Math.min(bins - 1, b))]++;
            }
        }
    }

    List<String> names() { return names; }

    double[] lo() { return lo.clone(); }

    double[] hi() { return hi.clone(); }

    /** counts[i][b], a copy. */
    long[][] counts() {
        long[][] c = new long[counts.length][];
        for (int i = 0; i < c.length; i++) c[i] = counts[i].clone();
        return c;
    }

    /** {names, lo, hi, counts} as JSON. */
    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.set("names", json.valueToTree(names));
        o.set("lo", json.valueToTree(lo));
        o.set("hi", json.valueToTree(hi));
        o.set("counts", json.valueToTree(counts));
        return o;
    }
}
