package io.smwm.core.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test tools that edit a saved checkpoint the way a hostile user would: change bytes, then fix up the manifest. */
final class CheckpointFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFiles() {}

    /** Replaces file's content and records its new size and SHA-256 in the manifest, so only the content is wrong. */
    static void replaceSigned(Path dir, String file, byte[] content) throws IOException {
        Files.write(dir.resolve(file), content);
        ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve(CheckpointIO.MANIFEST).toFile());
        ObjectNode f = (ObjectNode) m.path("files").path(file);
        f.put("bytes", content.length);
        f.put("sha256", CheckpointIO.sha256(dir.resolve(file)));
        JSON.writeValue(dir.resolve(CheckpointIO.MANIFEST).toFile(), m);
    }

    /** The file's bytes with the big-endian int64 at offset set to value. */
    static byte[] withLong(Path dir, String file, int offset, long value) throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve(file));
        ByteBuffer.wrap(b).putLong(offset, value);
        return b;
    }

    /** Offset of the data buffer's element count of the first array (after its shape information buffer). */
    static int firstDataLengthOffset(Path dir, String file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(file)));
        int p = 2 + b.getShort(0); // allocation mode
        long n = b.getLong(p);
        p += 8;
        p += 2 + b.getShort(p); // "LONG"
        p += (int) (8 * n);
        return p + 2 + b.getShort(p); // data buffer's allocation mode, then its length
    }

    /** Copies a checkpoint directory. */
    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
        return to;
    }
}
