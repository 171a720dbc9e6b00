package io.smwm.core.util;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project's version as the build recorded it (smwm-version.properties, filtered by Maven). */
public final class Version {
    private static final String CURRENT = read();

    private Version() {}

    /** E.g. "0.1.0-SNAPSHOT"; "unknown" when the classes were built without Maven's resource filtering. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/smwm-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
