package io.smwm.core.eval.report;

import io.smwm.core.render.RgbImage;
import io.smwm.core.eval.EvaluationReport;
import io.smwm.core.eval.Filmstrip;
import io.smwm.core.eval.MethodResult;
import io.smwm.core.viz.ContactSheet;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts as PNG bytes (XChart) and the filmstrip sheet (ContactSheet). */
public final class ReportPlots {
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};
    /** Executed frames per filmstrip row at most (evenly subsampled, the last one always kept), plus the goal. */
    static final int FILM_COLUMNS = 12;

    private ReportPlots() {}

    /** Success rate (%) against goal offset, one line per method, error bars = binomial standard error. */
    public static byte[] successVsOffset(EvaluationReport rep) throws IOException {
        XYChart c = new XYChartBuilder().width(720).height(440).title("Success vs goal offset (budget = "
                + "budgetFactor x offset)").xAxisTitle("goal offset (env steps)").yAxisTitle("success (%)").build();
        c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0).setChartBackgroundColor(Color.WHITE);
        int i = 0;
        for (String m : rep.methods()) {
            List<MethodResult> rs = rep.results().stream().filter(r -> r.method().equals(m)).toList();
            double[] x = rs.stream().mapToDouble(MethodResult::goalOffset).toArray();
            double[] y = rs.stream().mapToDouble(r -> 100 * r.successRate()).toArray();
            double[] e = rs.stream().mapToDouble(r -> 100 * r.stderr()).toArray();
            XYSeries s = c.addSeries(m, x, y, e);
            s.setLineColor(PALETTE[i % PALETTE.length]);
            s.setMarkerColor(PALETTE[i % PALETTE.length]);
            i++;
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Distance to the goal against env step at one goal offset: mean per method (solid) and mean ± standard error
     * (dashed): in the task's own success metric (the first goal-error component), or with {@code latent}
     * ‖z_t − z_g‖.
     */
    public static byte[] distanceCurves(EvaluationReport rep, int goalOffset, boolean latent) throws IOException {
        String metric = rep.results().stream().filter(r -> r.pairStats() != null
                        && !r.pairStats().meanStartGoalError().isEmpty())
                .map(r -> r.pairStats().meanStartGoalError().keySet().iterator().next()).findFirst().orElse("distance");
        XYChart c = new XYChartBuilder().width(720).height(440)
                .title((latent ? "Latent distance" : "Goal error (" + metric + ")") + " to goal, offset " + goalOffset)
                .xAxisTitle("env step").yAxisTitle(latent ? "||z_t - z_g||" : metric).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE).setMarkerSize(0);
        int i = 0;
        for (MethodResult r : rep.results()) {
            if (r.goalOffset() != goalOffset) {
                continue;
            }
            double[] mean = latent ? r.latentCurveMean() : r.stateCurveMean();
            double[] se = latent ? r.latentCurveStderr() : r.stateCurveStderr();
            if (mean == null) {
                continue;
            }
            Color col = PALETTE[i++ % PALETTE.length];
            double[] x = new double[mean.length], lo = new double[mean.length], hi = new double[mean.length];
            for (int t = 0; t < mean.length; t++) {
                x[t] = t;
                lo[t] = mean[t] - se[t];
                hi[t] = mean[t] + se[t];
            }
            XYSeries s = c.addSeries(r.method(), x, mean);
            s.setLineColor(col);
            s.setMarker(SeriesMarkers.NONE);
            for (double[] band : new double[][] {lo, hi}) {
                XYSeries b = c.addSeries(r.method() + (band == lo ? " -se" : " +se"), x, band);
                b.setLineColor(col);
                b.setLineStyle(SeriesLines.DASH_DASH);
                b.setMarker(SeriesMarkers.NONE);
                b.setShowInLegend(false);
            }
        }
        return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
    }

    /** One row per kept episode: executed frames (subsampled to {@link #FILM_COLUMNS}) then the goal frame. */
    public static byte[] filmstrip(List<Filmstrip> strips, String title) throws IOException {
        ContactSheet sheet = new ContactSheet(title, 2);
        for (Filmstrip f : strips) {
            int n = f.frames().size() - 1; // the last frame is the goal
            List<RgbImage> fr = new ArrayList<>();
            List<String> cap = new ArrayList<>();
            int cols = Math.min(n, FILM_COLUMNS);
            int prev = -1;
            for (int c = 0; c < cols; c++) {
                int idx = cols == 1 ? n - 1 : (int) Math.round(c * (n - 1) / (double) (cols - 1));
                if (idx != prev) {
                    fr.add(f.frames().get(idx));
                    cap.add(f.captions().get(idx));
                    prev = idx;
                }
            }
            fr.add(f.frames().get(n));
            cap.add("goal");
            sheet.addRow(f.method() + "  offset " + f.goalOffset() + "  " + f.pairId() + "  "
                    + (f.success() ? "SUCCESS" : "failure"), fr, cap);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(sheet.render(), "png", out)) {
            throw new IOException("no PNG writer available");
        }
        return out.toByteArray();
    }
}
