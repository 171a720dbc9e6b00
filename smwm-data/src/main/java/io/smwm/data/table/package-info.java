/**
 * The trajectory table format v1 (see {@link io.smwm.data.table.TrajectorySchema} for the layout and columns):
 * {@link io.smwm.data.table.TrajectoryWriter} writes episodes to one data file,
 * {@link io.smwm.data.table.TrajectoryReader} streams them back, {@link io.smwm.data.table.TableValidator}
 * reports every problem of a table, {@link io.smwm.data.table.TableMetadata} and
 * {@link io.smwm.data.table.TableStats} are meta/info.json and meta/stats.json, and
 * {@link io.smwm.data.table.Fingerprint} identifies the content independently of the file split.
 * All file access goes through Hadoop's FileSystem, so paths may be local, file:, hdfs:, s3a: ...
 */
package io.smwm.data.table;
