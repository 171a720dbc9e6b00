package io.smwm.spark.hadoop;

import io.smwm.core.util.UserError;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * A directory on a Hadoop path ({@code file:}, {@code hdfs:}, {@code s3a:}, ...) that run directories and model
 * registries are written to and read from, with one rule: nothing half-written is ever visible. How a store makes
 * that so depends on what it offers ({@link Commit}):
 * <ul>
 *   <li>{@link Commit#RENAME} (file:, hdfs:, every store not named below): rename is atomic. A file is written to a
 *       hidden temporary sibling and renamed over its name (HDFS: {@code FileContext.rename} with OVERWRITE, one
 *       NameNode operation; file: rename(2)). A directory is uploaded to {@code .NAME.tmp-*} (its commit marker
 *       last), then the old {@code NAME} is renamed aside to {@code .NAME.old-*}, the new one into place and the old
 *       one deleted, as {@code CheckpointIO.save} does on a local disk; readers take {@code NAME}, or between the two
 *       renames the committed {@code .NAME.tmp-*} (new) or {@code .NAME.old-*} (old).</li>
 *   <li>{@link Commit#MARKER} (s3a:, s3:, s3n:, gs:, oss:, cosn:, obs:, wasb:, wasbs:, swift:): object stores, whose
 *       rename is a copy and delete object by object, so never relied on. A file is one PUT (the object appears
 *       whole when its upload completes, replacing the old one; S3 is strongly consistent since 2020). A directory
 *       counts only once its commit marker {@value #COMMITTED} (written last) exists: a new one is uploaded in place,
 *       then marked; one that replaces an existing directory is first uploaded and marked under {@code .NAME.next-*},
 *       then the old marker is deleted, {@code NAME} rewritten and marked, and the {@code .next} copy deleted, so at
 *       every moment one committed copy, old or new, exists, and readers take the newest.</li>
 * </ul>
 * The mode of a scheme can be set with the Hadoop configuration key {@code smwm.fs.SCHEME.commit} ({@code rename} or
 * {@code marker}; e.g. {@code spark.hadoop.smwm.fs.abfs.commit=rename}). The marker is a small JSON manifest (every
 * file's size and SHA-256); a reader copies a directory to a local cache and checks it against the marker it read
 * first, starting over if a writer replaced the directory meanwhile. {@code file:} paths go through Hadoop's raw local
 * file system (no {@code .crc} side files, whose separate rename would break the atomicity of the data file's).
 * This class does files; the directory protocol is {@link DirectoryCommits}'s and the marker {@link CommitMarker}.
 */
public final class HadoopStore {
    /** How a store publishes atomically; see the class comment. */
    public enum Commit { RENAME, MARKER }

    public static final String COMMITTED = "_COMMITTED";
    public static final String COMMIT_SCHEMA = "smwm.commit";
    /** Schemes of object stores (no atomic rename) that get {@link Commit#MARKER} by default. */
    public static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs", "wasb",
            "wasbs", "swift");
    /** Files of a local directory that are not published: a writer's OS lock file ({@code .smwm.lock}). */
    static final Set<String> LOCAL_ONLY = Set.of(".smwm.lock");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");

    private final String flag;
    private final FileSystem fs;
    private final Path root;
    private final Commit mode;
    private final Configuration conf;
    private final DirectoryCommits dirs;

    private HadoopStore(String flag, FileSystem fs, Path root, Commit mode, Configuration conf) {
        this.flag = flag;
        this.fs = fs;
        this.root = root;
        this.mode = mode;
        this.conf = conf;
        this.dirs = new DirectoryCommits(this);
    }

    /**
     * True for a URI with a scheme (file:, hdfs:, s3a:, ...): such outputs go through the Hadoop FileSystem API. A
     * plain path (and a one-letter Windows drive) is not one.
     */
    public static boolean isUri(String s) {
        return s != null && SCHEME.matcher(s).matches();
    }

    /**
     * The driver's Hadoop configuration outside a Spark job: Hadoop's defaults and site files plus every
     * {@code spark.hadoop.*} system property (what spark-submit sets from --conf and spark-defaults.conf), as a
     * SparkContext's {@code hadoopConfiguration()} holds them.
     */
    public static Configuration driverConf() {
        Configuration c = new Configuration();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("spark.hadoop."))
                .forEach(k -> c.set(k.substring("spark.hadoop.".length()), System.getProperty(k)));
        return c;
    }

    /** {@link #open(String, String, Configuration)} with {@link #driverConf()}. */
    public static HadoopStore open(String flag, String uri) {
        return open(flag, uri, driverConf());
    }

    /**
     * Opens the directory {@code uri} (it need not exist).
     *
     * @param flag the option that named it, for messages (e.g. "--out")
     * @throws UserError for a malformed or relative URI, a scheme without a file system here (s3a: without the S3
     *                   connector, named with the fix), or a file system that cannot be reached
     */
    public static HadoopStore open(String flag, String uri, Configuration conf) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new UserError(flag + " " + uri + " is not a valid URI (" + e.getReason() + "); use e.g. "
                    + "file:///abs/dir, hdfs://namenode:8020/dir or s3a://bucket/dir");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.isOpaque() || u.getPath() == null || !u.getPath().startsWith("/"))
            throw new UserError(flag + " " + uri + " is not an absolute URI; use " + scheme + ":///abs/dir (file:) or "
                    + scheme + "://host/dir");
        if (("s3a".equals(scheme) || "s3".equals(scheme) || "gs".equals(scheme)) && (u.getAuthority() == null
                || u.getAuthority().isEmpty()))
            throw new UserError(flag + " " + uri + " names no bucket; use " + scheme + "://BUCKET/dir");
        Path p = new Path(u);
        FileSystem fs;
        try {
            fs = p.getFileSystem(conf);
        } catch (UnsupportedFileSystemException e) {
            throw noFileSystem(flag, uri, scheme, e);
        } catch (IOException | RuntimeException e) {
            if (classMissing(e)) throw noFileSystem(flag, uri, scheme, e);
            throw new UserError(flag + " " + uri + ": cannot open its file system (" + firstLine(e) + "); check the "
                    + "host, port and credentials", e);
        }
        if (fs instanceof LocalFileSystem l) fs = l.getRaw();
        String set = conf.get("smwm.fs." + scheme + ".commit");
        Commit mode;
        if (set == null) mode = OBJECT_STORES.contains(scheme) ? Commit.MARKER : Commit.RENAME;
        else if (set.equalsIgnoreCase("rename")) mode = Commit.RENAME;
        else if (set.equalsIgnoreCase("marker")) mode = Commit.MARKER;
        else throw new UserError("smwm.fs." + scheme + ".commit is '" + set + "'; valid: rename, marker");
        return new HadoopStore(flag, fs, fs.makeQualified(p), mode, conf);
    }

    private static UserError noFileSystem(String flag, String uri, String scheme, Throwable e) {
        if (scheme.startsWith("s3"))
            return new UserError(flag + " " + uri + ": this build has no S3 connector (hadoop-aws); build with the s3 "
                    + "profile (SMWM_MAVEN_ARGS=-Ps3 SMWM_REBUILD=1 ./smwm ..., or ./mvnw -Ps3 package) or submit with "
                    + "--packages org.apache.hadoop:hadoop-aws:<your Hadoop version>", e);
        return new UserError(flag + " " + uri + ": no Hadoop file system for scheme '" + scheme + "' on the class "
                + "path (file:, hdfs: and, with the s3 profile, s3a: are; another store needs its connector jar)", e);
    }

    private static boolean classMissing(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause())
            if (c instanceof ClassNotFoundException || c instanceof NoClassDefFoundError) return true;
        return false;
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * The store of this directory's parent, so that the directory itself can be published or read as a whole with
     * {@code parent().publishDir(name(), ...)} (its temporary siblings live next to it).
     *
     * @throws UserError for the root of a file system or bucket
     */
    public HadoopStore parent() {
        if (root.getParent() == null)
            throw new UserError(flag + " " + uri() + " is the root of its file system; choose a directory below it");
        return new HadoopStore(flag, fs, root.getParent(), mode, conf);
    }

    /** The last segment of this directory's path. */
    public String name() { return root.getName(); }

    public FileSystem fs() { return fs; }

    public Path root() { return root; }

    public Commit mode() { return mode; }

    public Configuration conf() { return conf; }

    /** The directory as a URI string. */
    public String uri() { return root.toString(); }

    /** {@code rel} (slash-separated, relative to the directory) as a URI string. */
    public String uri(String rel) { return path(rel).toString(); }

    public Path path(String rel) {
        return rel == null || rel.isEmpty() ? root : new Path(root, rel);
    }

    public boolean exists(String rel) throws IOException {
        return fs.exists(path(rel));
    }

    public boolean isFile(String rel) throws IOException {
        FileStatus s = status(path(rel));
        return s != null && s.isFile();
    }

    public boolean isDirectory(String rel) throws IOException {
        FileStatus s = status(path(rel));
        return s != null && s.isDirectory();
    }

    private FileStatus status(Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    /** The names in directory {@code rel}, sorted; empty when it does not exist. */
    public List<String> list(String rel) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(path(rel))) out.add(s.getPath().getName());
        } catch (FileNotFoundException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /** The modification time of {@code rel} in ms, or -1 when it does not exist. */
    public long modificationTime(String rel) throws IOException {
        FileStatus s = status(path(rel));
        return s == null ? -1 : s.getModificationTime();
    }

    /**
     * The bytes of the file {@code rel}.
     *
     * @throws FileNotFoundException when it does not exist
     * @throws IOException           when it is larger than {@code max} bytes
     */
    public byte[] read(String rel, long max) throws IOException {
        Path p = path(rel);
        FileStatus s = fs.getFileStatus(p);
        if (s.isDirectory()) throw new IOException(p + " is a directory, not a file");
        if (s.getLen() > max) throw new IOException(p + " has " + s.getLen() + " bytes, more than the " + max
                + " such a file can have");
        try (InputStream in = fs.open(p)) {
            return in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
        }
    }

    /** Writes the file {@code rel} completely or not at all (see the class comment). */
    public void writeFile(String rel, byte[] bytes) throws IOException {
        Path dst = path(rel);
        if (mode == Commit.MARKER) {
            try (FSDataOutputStream out = fs.create(dst, true)) {
                out.write(bytes);
            }
            return;
        }
        Path tmp = new Path(dst.getParent(), "." + dst.getName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(bytes);
                out.hsync();
            }
            renameOver(tmp, dst);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Creates the file {@code rel} only if it does not exist (atomic on HDFS and local disks; on object stores a
     * check then a PUT, so two writers racing can both succeed).
     *
     * @return false when it exists
     */
    public boolean createNew(String rel, byte[] bytes) throws IOException {
        Path p = path(rel);
        if (fs instanceof RawLocalFileSystem raw) {
            java.nio.file.Path f = raw.pathToFile(p).toPath();
            Files.createDirectories(f.getParent());
            try {
                Files.write(f, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(p, false)) {
            out.write(bytes);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
        return true;
    }

    /** Replaces {@code dst} with the file {@code tmp} in one atomic step where the store can (see the class comment). */
    private void renameOver(Path tmp, Path dst) throws IOException {
        if (fs instanceof RawLocalFileSystem) {
            if (!fs.rename(tmp, dst)) throw new IOException("cannot rename " + tmp + " to " + dst);
            return; // rename(2) replaces an existing file atomically
        }
        FileContext fc;
        try {
            fc = FileContext.getFileContext(fs.getUri(), conf);
        } catch (UnsupportedFileSystemException e) {
            fc = null;
        }
        if (fc != null) {
            fc.rename(tmp, dst, Options.Rename.OVERWRITE); // HDFS: one NameNode operation
            return;
        }
        // no FileContext binding for this store: delete, then rename; readers see the file missing for that moment
        fs.delete(dst, false);
        if (!fs.rename(tmp, dst)) throw new IOException("cannot rename " + tmp + " to " + dst);
    }

    /** Renames the directory {@code from} to the new name {@code to} (rename mode only; {@code to} must not exist). */
    public void renameNew(String from, String to) throws IOException {
        if (mode != Commit.RENAME) throw new IllegalStateException("no renames on " + uri() + " (an object store)");
        Path t = path(to);
        if (fs.exists(t)) throw new IOException(t + " already exists");
        if (!fs.rename(path(from), t)) throw new IOException("cannot rename " + path(from) + " to " + t);
    }

    public void mkdirs(String rel) throws IOException {
        fs.mkdirs(path(rel));
    }

    /** Deletes {@code rel} and everything under it (nothing when it does not exist). */
    public void delete(String rel) throws IOException {
        fs.delete(path(rel), true);
    }

    void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException e) {
            // a leftover temporary file; the next writer's clean-up removes it
        }
    }

    // ---- directories: the commit protocol is DirectoryCommits' ----------------------------------------------------

    /** The commit marker of directory {@code rel}, or null when it has none (or it does not exist). */
    public CommitMarker marker(String rel) throws IOException {
        return dirs.marker(rel);
    }

    /** Is {@code rel} a committed directory: marked (marker mode) or present (rename mode)? */
    public boolean committed(String rel) throws IOException {
        return mode == Commit.MARKER ? isFile(rel + "/" + COMMITTED) : isDirectory(rel);
    }

    /**
     * Publishes the local directory {@code local} as {@code rel}, replacing what is there, atomically for readers
     * (see the class comment).
     */
    public void publishDir(String rel, java.nio.file.Path local) throws IOException {
        dirs.publish(rel, local);
    }

    /** Deletes directory {@code rel} with its temporary siblings ({@code .NAME.tmp-*}, {@code .old-*}, {@code .next-*}). */
    public void deleteDir(String rel) throws IOException {
        dirs.deleteDir(rel);
    }

    /**
     * Copies the committed copy of directory {@code rel} to the local directory {@code target} (replaced), checked
     * against its commit marker where it has one; starts over when a writer replaced it meanwhile.
     *
     * @return false when there is no committed copy
     */
    public boolean fetchDir(String rel, java.nio.file.Path target) throws IOException {
        return dirs.fetch(rel, target);
    }

    /**
     * Copies the part {@code sub} ("" for all) of the committed, immutable directory {@code rel} (e.g. a registry
     * version) to {@code target}, checked against its marker when it has one.
     */
    public void download(String rel, java.nio.file.Path target, String sub) throws IOException {
        dirs.download(rel, target, sub);
    }

    /**
     * Copies the file {@code file} (relative to the committed, immutable directory {@code rel}) to {@code target},
     * checked against the directory's marker when it has one.
     */
    public void downloadFile(String rel, String file, java.nio.file.Path target) throws IOException {
        dirs.downloadFile(rel, file, target);
    }

    static String parentRel(String rel) {
        int i = rel.lastIndexOf('/');
        return i < 0 ? "" : rel.substring(0, i);
    }

    static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    @Override
    public String toString() {
        return uri() + " (" + mode.name().toLowerCase(Locale.ROOT) + " commits)";
    }

    /** The option that named this store, for messages. */
    public String flag() { return flag; }
}
