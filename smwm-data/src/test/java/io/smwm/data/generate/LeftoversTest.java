package io.smwm.data.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smwm.data.table.TableValidator;
import io.smwm.data.testing.DiscEnv;
import io.smwm.data.testing.TestTables;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed generate leaves next to its output, and tables that hold more than a table: the next generate
 * removes what certainly belongs to a dead run, names everything else, and --overwrite never deletes what it did not
 * write.
 */
class LeftoversTest {
    @TempDir
    Path dir;

    private static String host() {
        String n = ManagementFactory.getRuntimeMXBean().getName();
        return n.substring(n.indexOf('@') + 1);
    }

    private Path staging(String name, long pid, String host, String started) throws Exception {
        Path s = Files.createDirectories(dir.resolve(name).resolve("data"));
        Files.writeString(s.resolve("part-00000.parquet"), "half a part");
        Files.writeString(s.getParent().resolve(StagingLeftovers.OWNER),
                "{\"host\": \"" + host + "\", \"pid\": " + pid + ", \"started\": \"" + started + "\"}");
        return s.getParent();
    }

    @Test
    void killedRunsStaging_isRemovedByTheNextGenerate_othersAreNamed() throws Exception {
        // before: hidden staging folders piled up, and later runs neither cleaned nor mentioned them
        String myStart = ProcessHandle.current().info().startInstant().orElseThrow().toString();
        Path dead = staging(".table.tmp-dead", Long.MAX_VALUE - 1, host(), "2020-01-01T00:00:00Z");
        Path reused = staging(".table.tmp-reused", ProcessHandle.current().pid(), host(), "2020-01-01T00:00:00Z");
        Path alive = staging(".table.tmp-alive", ProcessHandle.current().pid(), host(), myStart);
        Path remote = staging(".table.tmp-remote", 1, "another-host", myStart);
        Path unowned = Files.createDirectories(dir.resolve(".table.tmp-unowned/data"));
        String out = dir.resolve("table").toString();
        List<String> notes = StagingLeftovers.clean(TestTables.CONF, out);
        assertFalse(Files.exists(dead), "a dead writer's staging is removed");
        assertFalse(Files.exists(reused), "a pid now used by another process (other start time) is a dead writer");
        for (Path p : List.of(dead, reused)) {
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("removed " + p)), notes::toString);
        }
        assertTrue(Files.exists(alive) && Files.exists(remote) && Files.exists(unowned), "the rest is kept");
        for (Path p : List.of(alive, remote, unowned.getParent())) {
            assertTrue(notes.stream().anyMatch(n -> n.startsWith(p.toString()) && n.contains("remove it when")),
                    notes::toString);
        }
        LocalGenerator.generate(TestTables.smallSpec(), DiscEnv.source(TestTables.smallSpec().envConfig()), out, false);
        assertTrue(new TableValidator().validate(out).ok());
        assertFalse(Files.exists(Path.of(out, StagingLeftovers.OWNER)), "the ownership record is not published");
    }

    @Test
    void previousTableMovedAsideByAKilledOverwrite_isNamedUntilANewTableIsInPlace() throws Exception {
        String out = TestTables.makeValid(dir);
        Path old = dir.resolve(".table.old-123");
        Files.move(Path.of(out), old);
        List<String> notes = StagingLeftovers.clean(TestTables.CONF, out);
        assertTrue(Files.exists(old));
        assertTrue(notes.get(0).contains("rename it back"), notes.toString());
        LocalGenerator.generate(TestTables.smallSpec(), DiscEnv.source(TestTables.smallSpec().envConfig()), out, false);
        assertTrue(Files.exists(old), "still named, not removed, by the generate that found no table");
        notes = StagingLeftovers.clean(TestTables.CONF, out); // the next generate to the same output
        assertFalse(Files.exists(old), "removed once a complete new table is in place: " + notes);
        assertEquals(List.of("table"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void overwrite_refusesATableThatHoldsARun_andKeepsIt() throws Exception {
        // train --data T --out T used to be accepted, and generate --out T --overwrite then deleted the run inside
        String out = TestTables.makeValid(dir);
        Files.createDirectories(Path.of(out, "checkpoint"));
        Files.writeString(Path.of(out, "checkpoint/manifest.json"), "{}");
        Files.writeString(Path.of(out, "config.yaml"), "model: {}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalGenerator.generate(
                TestTables.smallSpec(), DiscEnv.source(TestTables.smallSpec().envConfig()), out, true));
        assertTrue(e.getMessage().contains("[checkpoint, config.yaml]") || e.getMessage().contains("[config.yaml, checkpoint]"),
                e.getMessage());
        assertTrue(Files.exists(Path.of(out, "checkpoint/manifest.json")));
    }
}
