package io.smwm.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.core.checkpoint.Provenance;
import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void current_isTheBuildsProjectVersion_andCheckpointsRecordIt() {
        String v = Version.current();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), "not a project version: " + v);
        assertEquals(v, Provenance.currentVersions().get("smwm"));
    }
}
