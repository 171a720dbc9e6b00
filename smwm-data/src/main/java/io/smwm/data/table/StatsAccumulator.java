package io.smwm.data.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Per-dimension running statistics of a float vector column: count, mean and M2 (Welford), min, max.
 * Mergeable (Chan et al.): merging the accumulators of the parts in part order gives a deterministic result.
 * Mutable and not thread-safe. The dimension is fixed by the first row or merge when created with dim -1.
 */
public final class StatsAccumulator {
    private int dim;
    private long count;
    private double[] mean;
    private double[] m2;
    private double[] min;
    private double[] max;

    /** An empty accumulator for vectors of length dim (or -1: taken from the first row). */
    public StatsAccumulator(int dim) {
        this.dim = dim;
        if (dim >= 0) {
            alloc(dim);
        }
    }

    private void alloc(int d) {
        dim = d;
        mean = new double[d];
        m2 = new double[d];
        min = new double[d];
        max = new double[d];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /** Adds one row x [dim]. */
    public void add(float[] x) {
        if (dim < 0) {
            alloc(x.length);
        }
        if (x.length != dim) {
            throw new IllegalArgumentException("stats row must have length " + dim + ", got " + x.length);
        }
        count++;
        for (int i = 0; i < dim; i++) {
            double v = x[i];
            double d = v - mean[i];
            mean[i] += d / count;
            m2[i] += d * (v - mean[i]);
            min[i] = Math.min(min[i], v);
            max[i] = Math.max(max[i], v);
        }
    }

    /** Adds other's rows into this one (this = this ∪ other); returns this. */
    public StatsAccumulator merge(StatsAccumulator other) {
        if (other.count == 0) {
            if (dim < 0 && other.dim >= 0) {
                alloc(other.dim);
            }
            return this;
        }
        if (dim < 0) {
            alloc(other.dim);
        }
        if (other.dim != dim) {
            throw new IllegalArgumentException("cannot merge stats of dim " + other.dim + " into dim " + dim);
        }
        long n = count + other.count;
        for (int i = 0; i < dim; i++) {
            double d = other.mean[i] - mean[i];
            double newMean = mean[i] + d * other.count / n;
            m2[i] = m2[i] + other.m2[i] + d * d * ((double) count * other.count / n);
            mean[i] = count == 0 ? other.mean[i] : newMean;
            min[i] = Math.min(min[i], other.min[i]);
            max[i] = Math.max(max[i], other.max[i]);
        }
        count = n;
        return this;
    }

    public int dim() { return Math.max(dim, 0); }

    public long count() { return count; }

    public double[] mean() { return mean == null ? new double[0] : mean.clone(); }

    /** Population standard deviation per dimension (as numpy / LeRobot compute it). */
    public double[] std() {
        double[] s = new double[dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = count == 0 ? 0 : Math.sqrt(Math.max(0, m2[i] / count));
        }
        return s;
    }

    /** Per-dimension minimum (+Infinity while empty). */
    public double[] min() { return min == null ? new double[0] : min.clone(); }

    /** Per-dimension maximum (-Infinity while empty). */
    public double[] max() { return max == null ? new double[0] : max.clone(); }

    /** Exact JSON form (doubles round-trip): {dim, count, mean, m2, min, max}; min/max omitted while empty. */
    public ObjectNode toJsonNode() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("dim", dim);
        n.put("count", count);
        if (count > 0) {
            put(n.putArray("mean"), mean);
            put(n.putArray("m2"), m2);
            put(n.putArray("min"), min);
            put(n.putArray("max"), max);
        }
        return n;
    }

    private static void put(ArrayNode a, double[] v) {
        for (double d : v) {
            a.add(d);
        }
    }

    public static StatsAccumulator fromJsonNode(JsonNode n) {
        StatsAccumulator s = new StatsAccumulator(Json.need(n, "dim").asInt());
        s.count = Json.need(n, "count").asLong();
        if (s.count > 0) {
            s.mean = doubles(Json.need(n, "mean"), s.dim, "mean");
            s.m2 = doubles(Json.need(n, "m2"), s.dim, "m2");
            s.min = doubles(Json.need(n, "min"), s.dim, "min");
            s.max = doubles(Json.need(n, "max"), s.dim, "max");
        }
        return s;
    }

    static double[] doubles(JsonNode a, int dim, String what) {
        if (!a.isArray() || a.size() != dim) {
            throw new IllegalArgumentException("stats '" + what + "' must be an array of " + dim + " numbers, got "
                    + a);
        }
        double[] out = new double[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    @Override
    public String toString() {
        return "StatsAccumulator[dim=" + dim + ", count=" + count + ", mean=" + Arrays.toString(mean) + "]";
    }
}
