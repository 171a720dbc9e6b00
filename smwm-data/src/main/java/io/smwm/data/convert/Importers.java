package io.smwm.data.convert;

import io.smwm.core.util.UserError;
import io.smwm.data.generate.TableSink;
import io.smwm.data.table.Episode;
import io.smwm.data.table.TableMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** The importers by id, and the one import loop they share. */
public final class Importers {
    /** Every importer, in the order {@code --help} lists them. */
    public static final List<TableImporter> ALL = List.of(new LeRobotImporter(), new LeWmHdf5Importer(),
            new MinariImporter());

    private Importers() {}

    /** The importer with this id; a {@link UserError} listing the ids otherwise. */
    public static TableImporter byId(String id) {
        for (TableImporter i : ALL) {
            if (i.id().equals(id)) {
                return i;
            }
        }
        throw new UserError("--from " + id + " is not a known format; choose one of "
                + ALL.stream().map(TableImporter::id).toList());
    }

    /**
     * Imports src into a new table at out: opens and checks the source, streams its episodes (resized to
     * {@code options.imageSize()} when set) through a {@link TableSink}, and commits. On any failure the sink's
     * staging directory is removed, so nothing is left at out.
     *
     * @return the metadata of the table written
     */
    public static TableMetadata run(TableImporter importer, Configuration conf, String src, String out,
                                    ImportOptions options) {
        try (TableImporter.Source source = importer.open(conf, src, options);
             TableSink sink = TableSink.create(conf, out, options.overwrite(), source.description(),
                     options.episodesPerFile())) {
            for (Iterator<Episode> it = source.iterator(); it.hasNext(); ) {
                sink.write(resize(it.next(), options.imageSize()));
            }
            return sink.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + src + ": " + e.getMessage(), e);
        }
    }

    /** e with every frame resized to size x size (bilinear); e itself when size is null or already that size. */
    public static Episode resize(Episode e, Integer size) {
        if (size == null || (e.imageWidth() == size && e.imageHeight() == size)) {
            return e;
        }
        byte[][] frames = new byte[e.frameCount()][];
        for (int t = 0; t < frames.length; t++) {
            frames[t] = Images.resize(e.frames()[t], e.imageHeight(), e.imageWidth(), size, size);
        }
        return new Episode(e.episodeIndex(), size, size, frames, e.states(), e.distractorStates(), e.actions(),
                e.terminal());
    }
}
