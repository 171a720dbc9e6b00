package io.smwm.core.model;

import java.util.Arrays;

/** Name and shape of one trainable array of the world model. Conv weights are [kH, kW, C_in, C_out]; Linear [in, out]. */
public record ParamSpec(String name, long[] shape) {

    public long length() {
        long n = 1;
        for (long s : shape) n *= s;
        return n;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
