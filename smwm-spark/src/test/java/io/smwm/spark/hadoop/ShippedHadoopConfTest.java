package io.smwm.spark.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("spark")
class ShippedHadoopConfTest {
    @Test
    void roundTrip_keepsEveryValueIncludingVariables() {
        Configuration src = new Configuration(false);
        src.set("smwm.a", "1");
        src.set("smwm.b", "${smwm.a}x");
        Map<String, String> e = ShippedHadoopConf.entries(src);
        assertEquals(Map.of("smwm.a", "1", "smwm.b", "${smwm.a}x"), e);
        Configuration back = ShippedHadoopConf.toConf(e);
        assertEquals("1x", back.get("smwm.b"));
    }

    @Test
    void toConf_loadsNoDefaultsOfItsOwn() {
        Configuration c = ShippedHadoopConf.toConf(Map.of("smwm.only", "v"));
        assertNull(c.get("fs.defaultFS"), "core-default.xml must not be loaded on top of the shipped entries");
        assertEquals(1, ShippedHadoopConf.entries(c).size());
    }

    @Test
    void aSchemeKnownOnlyToTheSourceConf_resolvesAfterTheRoundTrip() throws Exception {
        Configuration driver = new Configuration();
        DriverOnlyFileSystem.register(driver);
        Path p = new Path(DriverOnlyFileSystem.uri("/"));
        assertThrows(java.io.IOException.class, () -> p.getFileSystem(new Configuration()),
                "precondition: a default configuration cannot resolve the scheme");
        FileSystem fs = p.getFileSystem(ShippedHadoopConf.toConf(ShippedHadoopConf.entries(driver)));
        assertTrue(fs instanceof DriverOnlyFileSystem, fs.getClass().getName());
    }

    @Test
    void missingEntries_areAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShippedHadoopConf.toConf(null));
        assertTrue(e.getMessage().contains("Hadoop configuration"), e.getMessage());
    }
}
