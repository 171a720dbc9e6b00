package io.smwm.core.viz;

import io.smwm.core.stats.LatentDiagnostics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** PNG plots (XChart, headless) of latent diagnostics and training curves. */
public final class Plots {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Bar chart of the explained-variance ratio of the first (up to 32) principal components. */
    public static void pcaSpectrum(double[] ratio, Path png) {
        int n = Math.min(32, ratio.length);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = ratio[i];
        }
        CategoryChart c = new CategoryChartBuilder().width(800).height(500).title("PCA spectrum of z")
                .xAxisTitle("principal component").yAxisTitle("explained variance ratio").build();
        c.getStyler().setLegendVisible(false);
        c.addSeries("explained variance", x, y);
        save(c, png);
    }

    /**
     * Training curves from metrics rows ({@link io.smwm.core.train.MetricsLog}): train loss terms per step and
     * validation total per epoch (at its last step), log-scale y.
     */
    public static void trainingCurves(List<Map<String, Object>> rows, Path png) {
        XYChart c = new XYChartBuilder().width(900).height(500).title("training curves").xAxisTitle("step")
                .yAxisTitle("loss").build();
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setMarkerSize(3);
        for (String[] s : new String[][]{{"train", "loss_total"}, {"train", "loss_fwd"}, {"train", "loss_inv"},
                {"val", "loss_total"}}) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (Map<String, Object> r : rows)
                if (s[0].equals(r.get("kind")) && r.get(s[1]) instanceof Number v && v.doubleValue() > 0
                        && r.get("step") instanceof Number st) {
                    x.add(st.doubleValue());
                    y.add(v.doubleValue());
                }
            if (!x.isEmpty()) c.addSeries(s[0] + " " + s[1], x, y).setMarker(SeriesMarkers.NONE);
        }
        if (c.getSeriesMap().isEmpty()) c.addSeries("no data", new double[]{0}, new double[]{1});
        save(c, png);
    }

    /** Scatter of PC1 vs PC2 of z [N][d], points coloured by {@code colour[N]} (8 bins, blue to red). */
    public static void pcScatter(double[][] z, double[] colour, String colourName, Path png) {
        double[][] pc = LatentDiagnostics.principalProjection(z, 2);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : colour) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        int bins = 8;
        List<List<Double>> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            xs.add(new ArrayList<>());
            ys.add(new ArrayList<>());
        }
        for (int i = 0; i < z.length; i++) {
            int b = hi > lo ? (int) Math.min(bins - 1, (colour[i] - lo) / (hi - lo) * bins) : 0;
            xs.get(b).add(pc[i][0]);
            ys.get(b).add(pc.length > 0 && pc[i].length > 1 ? pc[i][1] : 0.0);
        }
        XYChart c = new XYChartBuilder().width(700).height(600).title("z: PC1 vs PC2, colour = " + colourName)
                .xAxisTitle("PC1").yAxisTitle("PC2").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(5);
        for (int b = 0; b < bins; b++) {
            if (xs.get(b).isEmpty()) continue;
            double t = b / (bins - 1.0);
            String label = String.format("%s %.3g..%.3g", colourName, lo + (hi - lo) * b / bins, lo + (hi - lo) * (b + 1) / bins);
            XYSeries s = c.addSeries(label, xs.get(b), ys.get(b));
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color((int) (255 * t), 60, (int) (255 * (1 - t))));
        }
        save(c, png);
    }

    /**
     * Histograms on one PNG, two panels per row: panel i shows counts[i] over bins of equal width spanning
     * [lo[i], hi[i]] (bin centres on the x axis).
     *
     * @param names  panel titles, one per histogram
     * @param counts counts[i][b], same number of bins for every panel
     */
    public static void histograms(String title, List<String> names, double[] lo, double[] hi, long[][] counts,
                                  Path png) {
        int n = names.size();
        if (n == 0 || lo.length != n || hi.length != n || counts.length != n)
            throw new IllegalArgumentException("histograms: " + n + " names, " + lo.length + "/" + hi.length + "/"
                    + counts.length + " ranges/counts");
        int w = 480, h = 280, cols = Math.min(2, n), rows = (n + cols - 1) / cols, head = 36;
        java.awt.image.BufferedImage all = new java.awt.image.BufferedImage(cols * w, head + rows * h,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, all.getWidth(), all.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(java.awt.Font.BOLD, 16f));
        g.drawString(title, 12, 24);
        for (int i = 0; i < n; i++) {
            int bins = counts[i].length;
            List<String> x = new ArrayList<>(bins);
            List<Long> y = new ArrayList<>(bins);
            double width = (hi[i] - lo[i]) / bins;
            for (int b = 0; b < bins; b++) {
                x.add(String.format(java.util.Locale.ROOT, "%.3g", lo[i] + (b + 0.5) * width));
                y.add(counts[i][b]);
            }
            CategoryChart c = new CategoryChartBuilder().width(w).height(h).title(names.get(i)).build();
            c.getStyler().setLegendVisible(false);
            c.getStyler().setXAxisLabelRotation(60);
            c.getStyler().setAvailableSpaceFill(0.95);
            c.addSeries(names.get(i), x, y);
            g.drawImage(BitmapEncoder.getBufferedImage(c), (i % cols) * w, head + (i / cols) * h, null);
        }
        g.dispose();
        try {
            if (png.getParent() != null) Files.createDirectories(png.getParent());
            javax.imageio.ImageIO.write(all, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png, e);
        }
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) {
        try {
            if (png.getParent() != null) Files.createDirectories(png.getParent());
            try (OutputStream out = Files.newOutputStream(png)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + png, e);
        }
    }
}
