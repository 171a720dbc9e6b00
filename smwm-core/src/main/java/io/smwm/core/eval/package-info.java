/**
 * The paper's evaluation protocol: start/goal pairs from a {@link io.smwm.core.eval.PairSource} (one per
 * goal offset), episodes run in lock-step by the {@link io.smwm.core.eval.EpisodeRunner} with a planner in a
 * receding-horizon loop ({@link io.smwm.core.eval.PlanningController}) or the random baseline, summaries per
 * method and offset ({@link io.smwm.core.eval.MethodResult}) and the written report
 * ({@link io.smwm.core.eval.report.ReportWriter}).
 */
package io.smwm.core.eval;
