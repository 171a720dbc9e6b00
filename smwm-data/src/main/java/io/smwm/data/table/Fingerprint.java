package io.smwm.data.table;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A table's content fingerprint: "sha256:" + hex(SHA-256 over the concatenated {@link Episode#contentHash()}es in
 * episode order). It depends only on the rows, not on how episodes are split into files, on file bytes
 * (compression) or on metadata such as created_at.
 */
public final class Fingerprint {
    public static final String PREFIX = "sha256:";

    private Fingerprint() {}

    public static String of(List<byte[]> episodeHashesInEpisodeOrder) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] h : episodeHashesInEpisodeOrder) {
                d.update(h);
            }
            return PREFIX + EpisodeHasher.hex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The same from hex-encoded hashes (as {@code PartResult} carries them). */
    public static String ofHex(List<String> episodeHashesHex) {
        return of(episodeHashesHex.stream().map(EpisodeHasher::unhex).toList());
    }
}
