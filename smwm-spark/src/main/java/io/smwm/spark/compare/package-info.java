/**
 * {@code smwm compare}: a comparison plan of tasks, methods, training seeds and distractor settings (ComparePlan),
 * run cell by cell into run directories on one Spark session, resumable (CompareRun, on {@link io.smwm.spark.run}),
 * and its summary: mean ± standard error over seeds, the drop under distractors, the paper's numbers beside ours
 * (CompareSummary, summary.json; SummaryHtml, summary.html).
 */
package io.smwm.spark.compare;
