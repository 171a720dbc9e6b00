package io.smwm.data.convert;

import java.util.List;

/**
 * How to import.
 *
 * @param imageSize       resize frames to imageSize x imageSize (bilinear); null keeps the source's size
 * @param imageKey        the image dataset or column; null = the format's default or the only image there is
 * @param stateKeys       datasets or columns concatenated into observation_state; null = the format's default
 * @param envId           the env id recorded in the table; null = "FORMAT:NAME" from the source
 * @param frameskip       k recorded for training, >= 1
 * @param episodesPerFile episodes per part file, >= 1
 * @param overwrite       replace an existing table at the output
 */
public record ImportOptions(Integer imageSize, String imageKey, List<String> stateKeys, String envId, int frameskip,
                            int episodesPerFile, boolean overwrite) {
    public static final int DEFAULT_FRAMESKIP = 5;
    public static final int DEFAULT_EPISODES_PER_FILE = 50;

    public ImportOptions {
        if (imageSize != null && imageSize < 4) {
            throw new IllegalArgumentException("--image-size must be >= 4, got " + imageSize);
        }
        if (frameskip < 1) {
            throw new IllegalArgumentException("--frameskip must be >= 1, got " + frameskip);
        }
        if (episodesPerFile < 1) {
            throw new IllegalArgumentException("--episodes-per-file must be >= 1, got " + episodesPerFile);
        }
        stateKeys = stateKeys == null || stateKeys.isEmpty() ? null : List.copyOf(stateKeys);
    }

    /** Defaults: keep the image size, the format's keys and env id, frameskip 5, 50 episodes per file. */
    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null, null, DEFAULT_FRAMESKIP, DEFAULT_EPISODES_PER_FILE, false);
    }

    public ImportOptions withImageSize(Integer s) {
        return new ImportOptions(s, imageKey, stateKeys, envId, frameskip, episodesPerFile, overwrite);
    }

    public ImportOptions withFrameskip(int k) {
        return new ImportOptions(imageSize, imageKey, stateKeys, envId, k, episodesPerFile, overwrite);
    }
}
