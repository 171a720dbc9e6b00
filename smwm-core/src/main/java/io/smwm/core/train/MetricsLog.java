package io.smwm.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training metrics as JSON lines, one object per row, flushed per row: {@code RUN/metrics/metrics.jsonl}.
 * Rows have {@code kind} ("train" per step, "val" per epoch, "epoch" summaries) plus step, epoch and the values
 * (loss_fwd, loss_inv, the method's extra terms loss_sigreg or loss_var and loss_cov, loss_total, latent_std,
 * examples_per_s, ...). {@link #none()} keeps rows in memory only.
 */
public final class MetricsLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;
    private final Path file;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    private MetricsLog(Path file) {
        this.file = file;
        try {
            if (file != null) {
                Files.createDirectories(file.getParent());
                this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } else this.out = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file, e);
        }
    }

    /** Appends to {@code runDir/metrics/metrics.jsonl}. */
    public static MetricsLog inRun(Path runDir) {
        return new MetricsLog(runDir.resolve("metrics").resolve("metrics.jsonl"));
    }

    /** In memory only. */
    public static MetricsLog none() {
        return new MetricsLog(null);
    }

    public Path file() { return file; }

    public synchronized void write(String kind, Map<String, ?> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", kind);
        row.putAll(values);
        rows.add(row);
        if (out == null) return;
        try {
            out.write(JSON.writeValueAsString(row));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics to " + file, e);
        }
    }

    /** All rows written through this instance. */
    public synchronized List<Map<String, Object>> rows() {
        return List.copyOf(rows);
    }

    /** Reads a metrics.jsonl file back. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> read(Path file) {
        try {
            List<Map<String, Object>> r = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8))
                if (!line.isBlank()) r.add(JSON.readValue(line, Map.class));
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) return;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
