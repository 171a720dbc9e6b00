package io.smwm.core.train;

import io.smwm.core.loss.LossTerms;

/**
 * One finished epoch as every trainer reports it.
 *
 * @param epoch          1-based epoch number
 * @param step           optimiser steps taken so far (Adam's step counter)
 * @param train          the epoch's mean training loss terms, weighted by examples
 * @param val            the validation loss terms after the epoch (all NaN without a validation split)
 * @param examplesPerSec training examples per second over the epoch
 * @param collapse       the collapse monitor's reading on the held-out frames
 */
public record EpochSummary(int epoch, long step, LossTerms train, LossTerms val, double examplesPerSec,
                           CollapseMonitor.Check collapse) {
}
