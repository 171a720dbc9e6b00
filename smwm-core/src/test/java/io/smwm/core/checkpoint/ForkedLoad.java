package io.smwm.core.checkpoint;

import io.smwm.core.util.UserError;
import java.nio.file.Path;

/**
 * Loads each checkpoint directory given on the command line and prints one line per directory: "refused: MESSAGE",
 * "loaded" or "failed: TYPE: MESSAGE". Run in a forked JVM by tests whose input could abort a JVM if a reader
 * regressed, so that the test fails instead of the build.
 */
public final class ForkedLoad {
    private ForkedLoad() {}

    public static void main(String[] args) {
        for (String a : args) {
            try {
                CheckpointIO.load(Path.of(a));
                System.out.println("loaded");
            } catch (UserError e) {
                System.out.println("refused: " + e.getMessage().replace('\n', ' '));
            } catch (Throwable t) {
                System.out.println("failed: " + t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }
        System.out.flush();
    }
}
