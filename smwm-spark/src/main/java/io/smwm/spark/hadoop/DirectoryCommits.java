package io.smwm.spark.hadoop;

import static io.smwm.spark.hadoop.HadoopStore.COMMITTED;
import static io.smwm.spark.hadoop.HadoopStore.LOCAL_ONLY;
import static io.smwm.spark.hadoop.HadoopStore.join;
import static io.smwm.spark.hadoop.HadoopStore.parentRel;
import static io.smwm.spark.hadoop.HadoopStore.sleep;

import io.smwm.spark.hadoop.HadoopStore.Commit;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The directory half of {@link HadoopStore}: publishing a local directory so that readers never see it half-written,
 * deleting one with its temporary siblings, and reading the committed copy back checked against its
 * {@link CommitMarker}, starting over when a writer replaced it meanwhile. How each {@link HadoopStore.Commit} mode
 * does it is in {@link HadoopStore}'s class comment. One per store; it holds no state of its own.
 */
final class DirectoryCommits {
    private static final int READ_ATTEMPTS = 20;

    private final HadoopStore store;
    private final FileSystem fs;
    private final Commit mode;

    DirectoryCommits(HadoopStore store) {
        this.store = store;
        this.fs = store.fs();
        this.mode = store.mode();
    }

    /** The commit marker of directory {@code rel}, or null when it has none (or it does not exist). */
    CommitMarker marker(String rel) throws IOException {
        byte[] b;
        try {
            b = store.read(rel + "/" + COMMITTED, 16 << 20);
        } catch (FileNotFoundException e) {
            return null;
        }
        return CommitMarker.parse(b, store.uri(rel + "/" + COMMITTED));
    }

    /**
     * Publishes the local directory {@code local} as {@code rel}, replacing what is there, atomically for readers
     * (see the class comment).
     */
    void publish(String rel, java.nio.file.Path local) throws IOException {
        Path dst = store.path(rel);
        String parent = parentRel(rel), name = dst.getName();
        long generation = nextGeneration(rel);
        Map<String, CommitMarker.FileSum> sums = CommitMarker.sums(local);
        if (mode == Commit.RENAME) {
            String tmp = join(parent, "." + name + ".tmp-" + UUID.randomUUID());
            try {
                upload(local, tmp);
                writeMarker(tmp, generation, sums);
                String old = null;
                if (fs.exists(dst)) {
                    old = join(parent, "." + name + ".old-" + UUID.randomUUID());
                    store.renameNew(rel, old);
                }
                store.renameNew(tmp, rel);
                if (old != null) store.delete(old);
                for (String n : store.list(parent)) // what a killed publish left behind
                    if (n.startsWith("." + name + ".tmp-") || n.startsWith("." + name + ".old-"))
                        store.delete(join(parent, n));
            } finally {
                store.deleteQuietly(store.path(tmp));
            }
            return;
        }
        if (!fs.exists(dst)) {
            upload(local, rel);
            writeMarker(rel, generation, sums);
            return;
        }
        String next = null;
        if (store.committed(rel)) { // keep a committed copy at every moment: the new one under .NAME.next-*
            next = join(parent, "." + name + ".next-" + UUID.randomUUID());
            upload(local, next);
            writeMarker(next, generation, sums);
            fs.delete(store.path(rel + "/" + COMMITTED), false);
        }
        store.delete(rel);
        upload(local, rel);
        writeMarker(rel, generation, sums);
        for (String n : store.list(parent))
            if (n.startsWith("." + name + ".next-")) store.delete(join(parent, n));
    }

    /**
     * Deletes directory {@code rel} with its temporary siblings ({@code .NAME.tmp-*}, {@code .old-*}, {@code .next-*}).
     */
    void deleteDir(String rel) throws IOException {
        String parent = parentRel(rel), name = store.path(rel).getName();
        // unmarked first: never half-seen
        if (mode == Commit.MARKER) fs.delete(store.path(rel + "/" + COMMITTED), false);
        store.delete(rel);
        for (String n : store.list(parent))
            if (n.startsWith("." + name + ".")) store.delete(join(parent, n));
    }

    /**
     * Copies the committed copy of directory {@code rel} to the local directory {@code target} (replaced), checked
     * against its commit marker where it has one; starts over when a writer replaced it meanwhile.
     *
     * @return false when there is no committed copy
     */
    boolean fetch(String rel, java.nio.file.Path target) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            String from = committedCopy(rel);
            if (from == null) return false;
            CommitMarker m = null;
            List<String> before = null;
            try {
                m = marker(from);
                deleteLocal(target);
                if (m != null) {
                    download(from, target, m, "");
                    return true;
                }
                // no marker: on an object store, the old marker was just deleted by a writer replacing the directory;
                // with renames, a directory written without this class (e.g. by a local run), which must not change
                // while it is copied, or one that vanished or got a marker since the first look
                if (mode == Commit.MARKER || !store.isDirectory(from) || marker(from) != null)
                    throw new StaleCopyException(store.uri(from) + " changed while it was read");
                before = fileList(from);
                download(from, target, null, "");
                if (!before.equals(fileList(from)))
                    throw new StaleCopyException(store.uri(from) + " changed while it was read");
                return true;
            } catch (IOException e) {
                // a directory replaced while we read it shows as missing files, a mismatch with its marker, or (on
                // Hadoop's local file system) a vanished directory reported as "Permission denied"
                if (!(e instanceof FileNotFoundException || e instanceof StaleCopyException)
                        && !changed(from, m, before)) throw e;
                last = e;
                sleep(20L * (attempt + 1));
            }
        }
        throw new IOException("could not read a stable copy of " + store.uri(rel) + " in " + READ_ATTEMPTS
                + " attempts; "
                + "a writer keeps replacing it", last);
    }

    /** Has the copy {@code from} changed since it was seen with marker {@code m} (or, without one, {@code files})? */
    private boolean changed(String from, CommitMarker m, List<String> files) {
        try {
            if (!store.committed(from)) return true;
            if (m != null) {
                CommitMarker now = marker(from);
                return now == null || now.generation() != m.generation() || !now.files().equals(m.files());
            }
            return files == null || !files.equals(fileList(from));
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Copies the part {@code sub} ("" for all) of the committed, immutable directory {@code rel} (e.g. a registry
     * version) to {@code target}, checked against its marker when it has one.
     */
    void download(String rel, java.nio.file.Path target, String sub) throws IOException {
        download(rel, target, marker(rel), sub);
    }

    /**
     * Copies the file {@code file} (relative to the committed, immutable directory {@code rel}) to {@code target},
     * checked against the directory's marker when it has one.
     */
    void downloadFile(String rel, String file, java.nio.file.Path target) throws IOException {
        CommitMarker m = marker(rel);
        Files.createDirectories(target.toAbsolutePath().getParent());
        MessageDigest d = CommitMarker.sha256();
        long n;
        try (InputStream in = new DigestInputStream(fs.open(store.path(rel + "/" + file)), d);
             OutputStream o = Files.newOutputStream(target)) {
            n = in.transferTo(o);
        }
        CommitMarker.FileSum want = m == null ? null : m.files().get(file);
        if (m != null && !new CommitMarker.FileSum(n, HexFormat.of().formatHex(d.digest())).equals(want))
            throw new IOException(store.uri(rel + "/" + file) + " does not match its commit marker");
    }

    /** The committed copy of {@code rel} to read: itself, else the newest committed temporary sibling; or null. */
    private String committedCopy(String rel) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (store.committed(rel)) return rel;
            String sibling = committedSibling(rel);
            if (sibling != null) return sibling;
            if (store.committed(rel)) return rel; // a publish ended between the two looks
            if (attempt == 2) return null; // three times nothing: there is none
            sleep(10);
        }
    }

    private String committedSibling(String rel) throws IOException {
        String parent = parentRel(rel), name = store.path(rel).getName();
        String best = null, old = null;
        long bestGen = Long.MIN_VALUE;
        for (String n : store.list(parent)) {
            boolean fresh = n.startsWith("." + name + (mode == Commit.RENAME ? ".tmp-" : ".next-"));
            if (fresh) {
                CommitMarker m;
                try {
                    m = marker(join(parent, n));
                } catch (IOException e) {
                    continue; // its marker is being written (rename mode) or it is being deleted
                }
                if (m != null && m.generation() > bestGen) {
                    best = join(parent, n);
                    bestGen = m.generation();
                }
            } else if (mode == Commit.RENAME && n.startsWith("." + name + ".old-")) {
                old = join(parent, n);
            }
        }
        return best != null ? best : old;
    }

    private long nextGeneration(String rel) throws IOException {
        long g = 0;
        CommitMarker m = marker(rel);
        if (m != null) g = m.generation();
        String parent = parentRel(rel), name = store.path(rel).getName();
        for (String n : store.list(parent)) {
            if (n.startsWith("." + name + ".")) {
                CommitMarker s = marker(join(parent, n));
                if (s != null) g = Math.max(g, s.generation());
            }
        }
        return g + 1;
    }

    private void upload(java.nio.file.Path local, String rel) throws IOException {
        try (Stream<java.nio.file.Path> w = Files.walk(local)) {
            for (java.nio.file.Path f : w.filter(Files::isRegularFile).sorted().toList()) {
                String r = local.relativize(f).toString().replace('\\', '/');
                if (r.equals(COMMITTED) || LOCAL_ONLY.contains(f.getFileName().toString())) continue;
                try (InputStream in = Files.newInputStream(f);
                     FSDataOutputStream out = fs.create(store.path(rel + "/" + r), true)) {
                    in.transferTo(out);
                }
            }
        }
    }

    private void writeMarker(String rel, long generation, Map<String, CommitMarker.FileSum> sums) throws IOException {
        try (FSDataOutputStream out = fs.create(store.path(rel + "/" + COMMITTED), true)) {
            out.write(new CommitMarker(generation, sums).toJson());
            if (mode == Commit.RENAME) out.hsync();
        }
    }

    /** A copy that does not match the marker read before it: a writer replaced the directory meanwhile. */
    private static final class StaleCopyException extends IOException {
        StaleCopyException(String m) {
            super(m);
        }
    }

    private void download(String rel, java.nio.file.Path target, CommitMarker m, String sub) throws IOException {
        Path base = store.path(rel);
        String prefix = sub.isEmpty() ? "" : sub.endsWith("/") ? sub : sub + "/";
        Files.createDirectories(target);
        Map<String, CommitMarker.FileSum> got = new TreeMap<>();
        Path from = prefix.isEmpty() ? base : new Path(base, sub);
        String baseStr = base.toUri().getPath();
        for (FileStatus s : filesUnder(from)) {
            String r = s.getPath().toUri().getPath().substring(baseStr.length() + 1);
            if (r.equals(COMMITTED) || (!prefix.isEmpty() && !r.startsWith(prefix))) continue;
            java.nio.file.Path out = target.resolve(r.substring(prefix.length()));
            Files.createDirectories(out.getParent());
            MessageDigest d = CommitMarker.sha256();
            try (InputStream in = new DigestInputStream(fs.open(s.getPath()), d);
                 OutputStream o = Files.newOutputStream(out)) {
                long n = in.transferTo(o);
                got.put(r, new CommitMarker.FileSum(n, HexFormat.of().formatHex(d.digest())));
            }
        }
        if (m == null) return;
        Map<String, CommitMarker.FileSum> want = new TreeMap<>();
        m.files().forEach((k, v) -> {
            if (prefix.isEmpty() || k.startsWith(prefix)) want.put(k, v);
        });
        if (!want.equals(got))
            throw new StaleCopyException(store.uri(rel) + (sub.isEmpty() ? "" : "/" + sub)
                    + " does not match its commit "
                    + "marker (" + want.size() + " files listed, " + got.size() + " read)");
    }

    /** Every file under {@code rel} with its size and modification time, to tell whether it changed. */
    private List<String> fileList(String rel) throws IOException {
        List<String> out = new ArrayList<>();
        for (FileStatus s : filesUnder(store.path(rel)))
            out.add(s.getPath() + " " + s.getLen() + " " + s.getModificationTime());
        out.sort(null);
        return out;
    }

    /** Every file under {@code dir}, recursively (listStatus only: works on every FileSystem). */
    private List<FileStatus> filesUnder(Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory()) out.addAll(filesUnder(s.getPath()));
            else out.add(s);
        }
        return out;
    }

    private static void deleteLocal(java.nio.file.Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<java.nio.file.Path> w = Files.walk(p)) {
            for (java.nio.file.Path q : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
