package io.smwm.data.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 over the canonical encoding of one episode's rows, fed in frame order. Shared by {@link Episode},
 * the writers and {@link TableValidator} so that a hash computed while streaming equals
 * {@link Episode#contentHash()}.
 *
 * <p>Canonical row encoding, little-endian: episode_index int64, frame_index int32, image length int32 + bytes,
 * then for observation_state, distractor_state and action: length int32 + IEEE-754 raw bits int32 each; then
 * is_first, is_last, is_terminal as one byte each (0/1).
 */
public final class EpisodeHasher {
    private final MessageDigest digest;
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    public EpisodeHasher() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** Adds one row. */
    public void addRow(long episodeIndex, int frameIndex, byte[] image, float[] state, float[] distractor,
                       float[] action, boolean first, boolean last, boolean terminal) {
        int need = 8 + 4 + 4 + 3 * 4 + 4 * (state.length + distractor.length + action.length) + 3;
        if (buf.capacity() < need) {
            buf = ByteBuffer.allocate(Math.max(need, 2 * buf.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear();
        buf.putLong(episodeIndex).putInt(frameIndex).putInt(image.length);
        buf.flip();
        digest.update(buf);
        digest.update(image);
        buf.clear();
        putFloats(state);
        putFloats(distractor);
        putFloats(action);
        buf.put((byte) (first ? 1 : 0)).put((byte) (last ? 1 : 0)).put((byte) (terminal ? 1 : 0));
        buf.flip();
        digest.update(buf);
    }

    private void putFloats(float[] v) {
        buf.putInt(v.length);
        for (float f : v) {
            buf.putInt(Float.floatToRawIntBits(f));
        }
    }

    /** The hash of the rows added so far; resets this hasher. */
    public byte[] finish() {
        return digest.digest();
    }

    /** Lower-case hex of bytes. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** Inverse of {@link #hex(byte[])}. */
    public static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string must have even length, got " + s.length());
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex string: " + s);
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
