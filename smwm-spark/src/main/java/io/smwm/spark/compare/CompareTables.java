package io.smwm.spark.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smwm.core.eval.report.AtomicFiles;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.table.TableMetadata;
import io.smwm.data.table.TableValidator;
import io.smwm.data.table.TrajectoryReader;
import io.smwm.data.table.TrajectorySchema;
import io.smwm.spark.compare.ComparePlan.Cell;
import io.smwm.spark.compare.ComparePlan.Task;
import io.smwm.spark.generate.DistributedGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The trajectory tables of a compare run, one per (task, distractors) named {@code <task>-<distractors>}: a task's
 * given table, or one generated under the run's {@code tables/} directory with the plan's settings (recorded beside
 * it as {@code <name>.json}, so a table made with other settings is regenerated), validated once per run, its
 * fingerprint read once.
 */
final class CompareTables {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ComparePlan plan;
    private final Path root;
    private final Consumer<String> console;
    private final Supplier<SparkSession> spark;
    private final Set<String> validated = new HashSet<>();
    private final Map<String, String> fingerprints = new HashMap<>();

    /** @param root the run's {@code tables/} directory; {@code spark} is asked for a session only to generate */
    CompareTables(ComparePlan plan, Path root, Consumer<String> console, Supplier<SparkSession> spark) {
        this.plan = plan;
        this.root = root;
        this.console = console;
        this.spark = spark;
    }

    Map<String, Object> spec(Cell c) {
        Task t = plan.task(c);
        Map<String, Object> m = new LinkedHashMap<>();
        if (t.table() != null) {
            m.put("path", t.table());
            return m;
        }
        m.put("env", t.env());
        m.put("distractors", c.distractorList());
        m.put("generate", t.generate().toMap());
        return m;
    }

    /** The table name of a cell's (task, distractors): {@code <task>-<distractors>}. */
    static String name(Cell c) {
        return c.task() + "-" + c.distractors();
    }

    Path dir(Cell c) {
        return root.resolve(name(c));
    }

    private Path specFile(Cell c) {
        return root.resolve(name(c) + ".json");
    }

    String of(Cell c) {
        String given = plan.task(c).table();
        return given != null ? given : dir(c).toString();
    }

    List<String> used() {
        List<String> names = new ArrayList<>();
        for (Cell c : plan.cells()) if (!names.contains(name(c))) names.add(name(c));
        return names;
    }

    Cell firstCellOf(String tableName) {
        return plan.cells().stream().filter(c -> name(c).equals(tableName)).findFirst().orElseThrow();
    }

    /** A given table, or a generated one that is complete and made with the plan's settings. */
    boolean ready(Cell c) throws IOException {
        if (plan.task(c).table() != null) return true;
        Path spec = specFile(c);
        if (!Files.isRegularFile(dir(c).resolve(TrajectorySchema.INFO_JSON)) || !Files.isRegularFile(spec))
            return false;
        try {
            return JSON.readTree(spec.toFile()).equals(CellFiles.tree(spec(c)));
        } catch (IOException e) {
            return false;
        }
    }

    String fingerprint(String table) {
        return fingerprints.computeIfAbsent(table, t -> {
            try (TrajectoryReader r = TrajectoryReader.open(t)) {
                return r.metadata().fingerprint();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        });
    }

    /** The cell's table, generated first when it is not there (or was made with other settings); validated once. */
    String ensure(Cell c) throws IOException {
        String table = of(c);
        if (!ready(c)) {
            Task t = plan.task(c);
            GenerationSpec spec = t.generate().spec(t.env(), c.distractorList());
            Path dir = dir(c);
            if (Files.exists(dir)) CellFiles.deleteTree(dir); // compare's own: incomplete, or made with other settings
            Files.deleteIfExists(specFile(c));
            fingerprints.remove(table);
            console.accept("    generating " + dir + ": " + t.env() + ", " + spec.episodes() + " episodes of "
                    + spec.steps() + " steps, seed " + spec.seed() + ", policy " + (spec.policy() == null
                    ? "(the task's default)" : spec.policy()) + ", distractors " + c.distractors());
            long t0 = System.nanoTime();
            TableMetadata meta = DistributedGenerator.run(spark.get(), spec, dir.toString(), false);
            AtomicFiles.writeString(specFile(c), JSON.writeValueAsString(spec(c)));
            console.accept(String.format(Locale.ROOT, "    wrote %d episodes, %d frames in %.1f s; fingerprint %s",
                    meta.episodes(), meta.frames(), (System.nanoTime() - t0) / 1e9, meta.fingerprint()));
        }
        if (validated.add(table)) {
            long t0 = System.nanoTime();
            var v = new TableValidator().requireValid(table);
            console.accept(String.format(Locale.ROOT, "    validated %s: %d episodes, %d frames OK (%.1f s)", table,
                    v.episodes(), v.rows(), (System.nanoTime() - t0) / 1e9));
        }
        return table;
    }
}
