/**
 * Importers from LeRobot, stable-worldmodel/LeWM HDF5 and Minari layouts into a trajectory table, and the LeRobot
 * exporter.
 */
package io.smwm.data.convert;
