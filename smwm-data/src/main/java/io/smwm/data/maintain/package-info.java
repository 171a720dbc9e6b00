/**
 * Table maintenance: finalize a table's metadata and append one table to another.
 */
package io.smwm.data.maintain;
