package io.smwm.data.convert;

import io.smwm.data.table.Episode;
import io.smwm.data.table.TableDescription;
import java.io.IOException;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads episodes of one outside format. An importer only reads: {@link Importers#run} writes the table, resizes
 * images when asked and guarantees that a failed import leaves nothing at the output.
 *
 * <p>Contract: {@link #open} checks the source's layout before any episode is read and refuses a malformed one
 * with a {@link io.smwm.core.util.UserError} naming the missing or wrong dataset or column; the source then yields
 * episodes with episode_index 0, 1, 2, ... in source order, each with raw uint8 HWC frames of one size, its actions
 * (a_t taken from frame t; the last row zeros), states and terminal flag.
 */
public interface TableImporter {
    /** The format's id on the command line ({@code --from ID}). */
    String id();

    /** One line: what the format is and which layout is expected. */
    String describe();

    /** Opens src (a file or directory, local or any Hadoop path) and checks its layout. */
    Source open(Configuration conf, String src, ImportOptions options) throws IOException;

    /** An opened source: its description and its episodes, streamed. */
    interface Source extends AutoCloseable {
        /** The env id, frameskip and state names for the table's metadata. */
        TableDescription description();

        /** Number of episodes the source holds. */
        long episodes();

        /** The episodes in source order, read lazily. */
        Iterator<Episode> iterator();

        @Override
        void close() throws IOException;
    }
}
