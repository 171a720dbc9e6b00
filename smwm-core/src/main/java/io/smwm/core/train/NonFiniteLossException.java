package io.smwm.core.train;

/** Thrown when a loss term or the gradient becomes NaN or infinite; the update of that step was NOT applied. */
public final class NonFiniteLossException extends RuntimeException {
    private final long step;
    private final String term;

    public NonFiniteLossException(long step, String term, double value) {
        super("non-finite " + term + " = " + value + " at step " + step + "; the update was not applied");
        this.step = step;
        this.term = term;
    }

    /** The 1-based step at which it happened. */
    public long step() { return step; }

    /** The loss term ("loss_fwd", "loss_inv", "loss_total") or "gradient". */
    public String term() { return term; }
}
