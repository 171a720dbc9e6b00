package io.smwm.spark.compare;

/** Where a cell stands, as {@code compare} finds it on disk (and as it ends in this invocation). */
public enum CellState {
    /** Its completion marker is there and matches the plan: skipped. */
    DONE("done", "finished; skipped"),
    /** Finished with a training stop (a non-finite loss): a verdict, skipped like a finished cell. */
    STOPPED("stopped", "training stopped (non-finite loss); skipped"),
    /** Finished, but the plan's evaluation settings changed: evaluated again, training kept. */
    REEVALUATE("re-evaluate", "finished with other evaluation settings; evaluates again, keeps the training"),
    /** Trained to the last epoch, evaluation not finished: evaluates. */
    EVALUATE("evaluate", "trained; evaluates"),
    /** A checkpoint of an interrupted training with the plan's config and table: continues it (train --resume). */
    RESUME("resume", "interrupted training; resumes from its checkpoint"),
    /** A directory without a usable checkpoint, or trained with another config or table: trains from scratch. */
    RESTART("restart", "partial directory without a usable checkpoint; trains again from scratch"),
    /** Nothing there yet. */
    PENDING("pending", "to train"),
    /** Finished with another training config or table than the plan's now: refused until its directory goes. */
    STALE("stale", "finished with another training config or table than the plan's"),
    /** Failed in this invocation (the error was printed); tried again by the next one. */
    FAILED("failed", "failed in this run; tried again next time");

    private final String label, meaning;

    CellState(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }

    /** Finished: its results count in the summary. */
    public boolean finished() {
        return this == DONE || this == STOPPED;
    }
}
