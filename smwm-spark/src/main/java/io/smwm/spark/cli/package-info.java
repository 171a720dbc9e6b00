/**
 * The command line (picocli): each command parses its options, calls the run API (io.smwm.spark.run) or a library
 * entry point, and prints. No business logic lives here.
 */
package io.smwm.spark.cli;
