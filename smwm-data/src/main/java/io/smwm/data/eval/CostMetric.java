package io.smwm.data.eval;

import io.smwm.core.plan.LatentModel;
import io.smwm.core.render.RgbImage;
import io.smwm.core.stats.Whitening;
import io.smwm.core.util.UserError;
import io.smwm.data.batch.EpisodeSplit;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TrajectoryReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The planning cost's metric for {@code planner.costWhitening}: a {@link Whitening} of the latents of a table's
 * training frames (never the held-out episodes the evaluation pairs come from). Every {@value #STRIDE}th frame of
 * each training episode (starting at the episode index modulo the stride, so that frames of all phases are drawn), in
 * table order, until {@value #MAX_FRAMES} latents.
 */
public final class CostMetric {
    /** Latents the whitening is fitted to, at most. */
    public static final int MAX_FRAMES = 4000;
    /** Frames between two drawn frames of an episode. */
    public static final int STRIDE = 10;

    private CostMetric() {}

    /**
     * Fits the whitening with eigenvalue floor {@code floor} (see {@link Whitening#fit}) to {@code model}'s latents
     * of the training episodes of {@code table} under {@code split}.
     *
     * @throws UserError if the table has fewer than 2·D training frames to fit to
     */
    public static Whitening fit(String table, EpisodeSplit split, LatentModel model, double floor) throws IOException {
        int d = model.latentDim();
        List<double[]> latents = new ArrayList<>();
        try (TrajectoryReader reader = TrajectoryReader.open(table)) {
            Iterator<Episode> it = reader.episodes();
            while (it.hasNext() && latents.size() < MAX_FRAMES) {
                Episode e = it.next();
                if (split.isValidation(e.episodeIndex())) {
                    continue;
                }
                List<RgbImage> frames = new ArrayList<>();
                for (int t = (int) (e.episodeIndex() % STRIDE); t < e.frameCount()
                        && latents.size() + frames.size() < MAX_FRAMES; t += STRIDE) {
                    frames.add(new RgbImage(e.imageWidth(), e.imageHeight(), e.frames()[t]));
                }
                if (frames.isEmpty()) {
                    continue;
                }
                float[] z = model.encode(frames);
                for (int r = 0; r < frames.size(); r++) {
                    double[] row = new double[d];
                    for (int j = 0; j < d; j++) {
                        row[j] = z[r * d + j];
                    }
                    latents.add(row);
                }
            }
        }
        if (latents.size() < 2 * d) {
            throw new UserError("planner.costWhitening needs at least " + 2 * d + " training frames to fit the "
                    + "latent's whitening to, " + table + " gives " + latents.size());
        }
        return Whitening.fit(latents.toArray(new double[0][]), floor);
    }
}
