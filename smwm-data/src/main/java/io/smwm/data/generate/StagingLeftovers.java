package io.smwm.data.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.smwm.data.table.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a killed generate leaves next to its output: staging directories {@code .NAME.tmp-*} (parts written, never
 * committed) and, from a kill in the middle of an --overwrite commit, the previous table moved aside as
 * {@code .NAME.old-*}. {@link #claim} records in a staging directory who writes it ({@value #OWNER}: host, pid and the
 * process's start); the committer removes that record just before the rename that publishes the table.
 * {@link #clean}, run by the next generate to the same output, removes the staging directories whose writer is known to
 * be dead (same host, no such process), removes an old table once a complete new one is in place, and describes every
 * other leftover instead of touching it (a writer on another host, or no record).
 */
public final class StagingLeftovers {
    /** The ownership record in a staging directory. */
    public static final String OWNER = "_owner.json";

    private StagingLeftovers() {}

    /** Creates the staging directory and records this process as its writer. */
    public static void claim(Configuration conf, String stagingDir) throws IOException {
        Path s = new Path(stagingDir);
        FileSystem fs = s.getFileSystem(conf);
        fs.mkdirs(s);
        var n = Json.MAPPER.createObjectNode();
        n.put("host", host());
        n.put("pid", ProcessHandle.current().pid());
        n.put("started", ProcessHandle.current().info().startInstant().map(Instant::toString).orElse(""));
        Json.writeFile(conf, new Path(s, OWNER), Json.write(n));
    }

    /** Removes the ownership record (and its checksum) before the staging directory becomes the table. */
    static void release(FileSystem fs, Path staging) throws IOException {
        fs.delete(new Path(staging, OWNER), false);
        fs.delete(new Path(staging, "." + OWNER + ".crc"), false);
    }

    /**
     * Cleans up or describes the leftovers of interrupted generate runs next to outDir (see the class comment).
     *
     * @return one line per leftover: what was removed, or what is there and how to deal with it
     */
    public static List<String> clean(Configuration conf, String outDir) {
        List<String> notes = new ArrayList<>();
        Path out = new Path(outDir);
        if (out.getParent() == null) {
            return notes;
        }
        try {
            FileSystem fs = out.getFileSystem(conf);
            if (!fs.exists(out.getParent())) {
                return notes;
            }
            String tmp = "." + out.getName() + ".tmp-", old = "." + out.getName() + ".old-";
            for (FileStatus st : fs.listStatus(out.getParent())) {
                String n = st.getPath().getName();
                String at = show(st.getPath());
                if (n.startsWith(tmp)) {
                    String writer = deadWriter(conf, st.getPath());
                    if (writer != null && fs.delete(st.getPath(), true)) {
                        notes.add("removed " + at + ", the staging directory of an interrupted generate ("
                                + writer + ")");
                    } else {
                        notes.add(at + " is the staging directory of another generate to " + outDir
                                + " that is still running, or was interrupted on another host; remove it when no "
                                + "generate is writing to " + outDir);
                    }
                } else if (n.startsWith(old)) {
                    if (fs.exists(new Path(out, "meta/info.json")) && fs.delete(st.getPath(), true)) {
                        notes.add("removed " + at + ", the table an interrupted --overwrite had replaced");
                    } else {
                        notes.add(outDir + " is incomplete or missing, and " + at + " is the table an "
                                + "interrupted --overwrite moved aside: rename it back to restore it, or remove it");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            notes.add("could not look for leftovers of interrupted runs next to " + outDir + ": " + e.getMessage());
        }
        return notes;
    }

    /** A description of the staging directory's writer if it is certainly dead, else null. */
    private static String deadWriter(Configuration conf, Path staging) {
        JsonNode o;
        try {
            o = Json.tree(Json.readFile(conf, new Path(staging, OWNER), 4096));
        } catch (IOException | RuntimeException e) {
            return null; // no record: we cannot know
        }
        if (!host().equals(o.path("host").asText()) || !o.path("pid").canConvertToLong()) {
            return null;
        }
        long pid = o.path("pid").asLong();
        String started = o.path("started").asText("");
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        boolean sameProcess = p.isPresent() && p.get().isAlive() && (started.isEmpty()
                || p.get().info().startInstant().map(Instant::toString).orElse("").equals(started));
        return sameProcess ? null : "pid " + pid + " on " + o.path("host").asText() + ", started " + started
                + ", no longer runs";
    }

    /** A local path without its file: scheme, others as they are. */
    private static String show(Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    private static String host() {
        String n = ManagementFactory.getRuntimeMXBean().getName();
        int at = n.indexOf('@');
        return at >= 0 ? n.substring(at + 1) : n;
    }
}
