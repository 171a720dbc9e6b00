package io.smwm.core.train;

import io.smwm.core.model.WorldModel;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Trainer} produced.
 *
 * @param model      the trained model (a snapshot: later training does not change it)
 * @param epochs     the epochs trained in this call, in order (a resumed run lists only the new ones)
 * @param checkpoint the last checkpoint written, or null when the trainer kept everything in memory
 */
public record TrainResult(WorldModel model, List<EpochSummary> epochs, Path checkpoint) {
    public TrainResult {
        epochs = List.copyOf(epochs);
    }

    /** The last epoch trained; fails on a result with no epochs. */
    public EpochSummary last() {
        if (epochs.isEmpty()) throw new IllegalStateException("no epoch was trained");
        return epochs.get(epochs.size() - 1);
    }
}
