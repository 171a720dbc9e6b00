package io.smwm.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smwm.core.config.ConfigLoader;
import io.smwm.core.env.EnvConfig;
import io.smwm.data.generate.GenerationSpec;
import io.smwm.data.generate.LocalGenerator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate through the command line: a tiny tworoom model, a few held-out pairs, CEM and the random baseline. */
@Tag("spark")
class EvaluateCommandTest {

    @Test
    void evaluate_writesReportWithPlannerAndRandomBaseline(@TempDir Path dir) throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 20, 40, 3, 5, 10), table, false);
        String config = new File(getClass().getResource("/tiny-tworoom.yaml").toURI()).getPath();
        Path run = dir.resolve("run");
        assertEquals(0, Main.run("train", "--data", table, "--out", run.toString(), "--config", config));
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1"));
        JsonNode rep = new ObjectMapper().readTree(run.resolve("eval/report.json").toFile());
        JsonNode results = rep.get("results");
        assertEquals(2, results.size(), "cem and random: " + results);
        for (JsonNode r : results) {
            for (String key : List.of("method", "success_rate", "successes", "episodes", "stderr", "plan_ms_median")) {
                assertTrue(r.has(key), key + " missing in " + r);
            }
            assertEquals(3, r.get("episodes").asInt());
            assertEquals(20, r.get("budget").asInt());
            assertEquals(r.get("successes").asDouble() / 3, r.get("success_rate").asDouble(), 1e-9);
        }
        assertEquals("cem", results.get(0).get("method").asText());
        assertEquals(5, rep.get("config").get("eval.executeModelSteps").asInt(), "the paper's whole plan by default");
        assertFalse(rep.get("config").get("planner.clipSamples").asBoolean(), "the paper's CEM samples unclipped");
        assertTrue(Files.exists(run.resolve("eval/report.html")));
        assertTrue(Files.exists(run.resolve("eval/report.md")));
        assertEquals(CliErrors.USER_ERROR, Main.run("evaluate", "--run", run.toString(), "--data", table,
                "--episodes", "3", "--goal-offset", "10"), "an existing report is refused without --overwrite");
        assertEquals(CliErrors.USER_ERROR, Main.run("evaluate", "--run", run.toString(), "--data", table,
                "--goal-offset", "500", "--overwrite"), "a goal offset longer than the episodes is refused");
        for (String bad : List.of("0", "6")) {
            assertEquals(CliErrors.USER_ERROR, Main.run("evaluate", "--run", run.toString(), "--data", table,
                    "--episodes", "3", "--goal-offset", "10", "--execute-steps", bad, "--overwrite"),
                    "--execute-steps outside 1..horizon is refused: " + bad);
        }
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1", "--execute-steps", "1", "--clip-samples", "true", "--overwrite"));
        JsonNode rep1 = new ObjectMapper().readTree(run.resolve("eval/report.json").toFile());
        assertEquals(1, rep1.get("config").get("eval.executeModelSteps").asInt());
        assertTrue(rep1.get("config").get("planner.clipSamples").asBoolean());
        assertEquals(3, rep1.get("results").get(0).get("episodes").asInt());
        assertTrue(rep1.get("results").get(0).get("min_goal_distance").isNull(), "no filter without the option");
        assertTrue(rep1.get("config").get("pairs.minGoalDistance").isNull());
        assertFalse(Files.readString(run.resolve("eval/report.md")).contains("- pairs:"));
        assertFalse(rep1.get("episodes").get(0).has("states"), "states only with --record-states");
        assertFalse(rep1.get("config").get("eval.recordStates").asBoolean());

        // --record-states: each episode's executed states and actions, the same from the driver and from executors
        List<JsonNode> recorded = new java.util.ArrayList<>();
        for (String master : List.of("", "local[2]")) {
            Path out = dir.resolve("rs" + master.length());
            List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--run", run.toString(), "--data",
                    table, "--episodes", "3", "--goal-offset", "10", "--seed", "1", "--record-states", "--out",
                    out.toString()));
            if (!master.isEmpty()) args.addAll(List.of("--master", master));
            assertEquals(0, Main.run(args.toArray(String[]::new)));
            JsonNode r = new ObjectMapper().readTree(out.resolve("report.json").toFile());
            assertTrue(r.get("config").get("eval.recordStates").asBoolean());
            assertEquals(6, r.get("episodes").size(), "3 pairs x cem and random");
            for (JsonNode e : r.get("episodes")) {
                int steps = e.get("steps").asInt();
                assertEquals(steps + 1, e.get("states").size(), e.toString());
                assertEquals(steps, e.get("actions").size());
                assertEquals(e.get("final_state"), e.get("states").get(steps));
                assertEquals(2, e.get("actions").get(0).size(), "TwoRoom's 2-D action");
            }
            recorded.add(r.get("episodes"));
        }
        for (int e = 0; e < 6; e++) {
            assertEquals(recorded.get(0).get(e).get("states"), recorded.get(1).get(e).get("states"), "episode " + e);
            assertEquals(recorded.get(0).get(e).get("actions"), recorded.get(1).get(e).get("actions"));
        }
        // table from-report: the planner's episodes of the executors' report as a table, replayed exactly
        String planned = dir.resolve("planned").toString();
        CliRun fr = CliRun.of("table", "from-report", dir.resolve("rs8").toString(), "--data", table, "--out", planned);
        assertEquals(0, fr.code(), fr.err());
        assertTrue(fr.out().contains("wrote 3 episodes"), fr.out());
        try (var reader = io.smwm.data.table.TrajectoryReader.open(planned)) {
            List<io.smwm.data.table.Episode> eps = reader.readAll();
            assertEquals(3, eps.size());
            for (int e = 0; e < 3; e++) {
                JsonNode rec = recorded.get(1).get(e);
                assertEquals("cem", rec.get("method").asText());
                assertEquals(rec.get("steps").asInt(), eps.get(e).steps());
                assertEquals((float) rec.get("final_state").get(0).asDouble(), eps.get(e).states()[eps.get(e).steps()][0]);
                assertEquals((float) rec.get("actions").get(0).get(1).asDouble(), eps.get(e).actions()[0][1]);
            }
        }
        assertEquals(CliErrors.USER_ERROR, Main.run("table", "from-report", run.resolve("eval").toString(), "--data",
                table, "--out", dir.resolve("p2").toString()), "a report without --record-states is refused");
        assertFalse(Files.exists(dir.resolve("p2")));

        // --min-goal-distance: only pairs whose agent starts more than D from the goal; recorded in the report
        double d = 0.08; // above TwoRoom's success radius 16/224: no pair is solved at the start
        Path far = dir.resolve("far");
        CliRun farRun = CliRun.of("evaluate", "--run", run.toString(), "--data", table, "--episodes", "4",
                "--goal-offset", "10", "--seed", "1", "--min-goal-distance", Double.toString(d), "--out",
                far.toString());
        assertEquals(0, farRun.code(), farRun.err());
        assertTrue(farRun.out().contains("pairs: only pairs with start-goal agent_distance > 0.08 "
                + "(--min-goal-distance 0.08)"), farRun.out());
        JsonNode repFar = new ObjectMapper().readTree(far.resolve("report.json").toFile());
        assertEquals(d, repFar.get("config").get("pairs.minGoalDistance").asDouble());
        for (JsonNode r : repFar.get("results")) {
            assertEquals(d, r.get("min_goal_distance").asDouble());
            assertEquals(0, r.get("trivial_pairs").asInt(), r.toString());
            assertEquals(4, r.get("episodes").asInt());
        }
        for (JsonNode e : repFar.get("episodes")) {
            assertTrue(e.get("start_goal_error").get("agent_distance").asDouble() > d, e.toString());
            assertFalse(e.get("solved_at_start").asBoolean());
        }
        assertTrue(Files.readString(far.resolve("report.md")).contains("- pairs: only pairs with start-goal "
                + "agent_distance > 0.08"));
        // a bound no pair reaches (the arena is the unit square), too few pairs for --episodes, a negative bound
        CliRun.of("evaluate", "--run", run.toString(), "--data", table, "--episodes", "4", "--goal-offset", "10",
                "--min-goal-distance", "2", "--out", dir.resolve("none").toString())
                .assertUserError("--min-goal-distance 2.0: only 0 of the 62 start frames of the 2 held-out episodes");
        CliRun.of("evaluate", "--run", run.toString(), "--data", table, "--episodes", "63", "--goal-offset", "10",
                "--min-goal-distance", "0", "--out", dir.resolve("few").toString())
                .assertUserError("fewer than the 63 pairs asked for (--episodes)");
        CliRun.of("evaluate", "--run", run.toString(), "--data", table, "--min-goal-distance", "-1", "--out",
                dir.resolve("neg").toString()).assertUserError("--min-goal-distance must be a finite number >= 0");
        // --param: only a param that changes the success test alone; TwoRoom has none, so nothing is written
        CliRun.of("evaluate", "--run", run.toString(), "--data", table, "--param", "success_agent=true", "--out",
                dir.resolve("param").toString()).assertUserError("'success_agent' cannot be set for an evaluation");
        assertFalse(Files.exists(dir.resolve("param")));

        // a run whose config says plan.clipSamples: its evaluations clip unless the flag says otherwise
        Path clipConfig = dir.resolve("clip.yaml");
        Files.writeString(clipConfig, Files.readString(Path.of(config)) + "plan:\n  clipSamples: true\n");
        Path clipRun = dir.resolve("clip-run");
        assertEquals(0, Main.run("train", "--data", table, "--out", clipRun.toString(), "--config",
                clipConfig.toString()));
        assertTrue(Files.readString(clipRun.resolve("config.yaml")).contains("clipSamples: true"));
        assertEquals(0, Main.run("evaluate", "--run", clipRun.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1"));
        assertTrue(new ObjectMapper().readTree(clipRun.resolve("eval/report.json").toFile()).get("config")
                .get("planner.clipSamples").asBoolean(), "the run's config clips");
        assertEquals(0, Main.run("evaluate", "--run", clipRun.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1", "--clip-samples", "false", "--overwrite"));
        assertFalse(new ObjectMapper().readTree(clipRun.resolve("eval/report.json").toFile()).get("config")
                .get("planner.clipSamples").asBoolean(), "the flag overrides the config");

        // plan.costWhitening in the run's config: its evaluations whiten unless --cost-whitening says otherwise
        Path whiteConfig = dir.resolve("white.yaml");
        Files.writeString(whiteConfig, Files.readString(Path.of(config)) + "plan:\n  costWhitening: 0.2\n");
        Path whiteRun = dir.resolve("white-run");
        assertEquals(0, Main.run("train", "--data", table, "--out", whiteRun.toString(), "--config",
                whiteConfig.toString()));
        assertEquals(0, Main.run("evaluate", "--run", whiteRun.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1"));
        assertEquals(0.2, new ObjectMapper().readTree(whiteRun.resolve("eval/report.json").toFile()).get("config")
                .get("planner.costWhitening").asDouble(), "the run's config whitens");
        assertEquals(0, Main.run("evaluate", "--run", whiteRun.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1", "--cost-whitening", "0", "--overwrite"));
        assertEquals(0.0, new ObjectMapper().readTree(whiteRun.resolve("eval/report.json").toFile()).get("config")
                .get("planner.costWhitening").asDouble(), "--cost-whitening 0 turns it off");
        CliRun.of("evaluate", "--run", whiteRun.toString(), "--data", table, "--cost-whitening", "1.5", "--out",
                dir.resolve("w15").toString()).assertUserError("--cost-whitening must be 0 (off) or a floor in (0, 1]");

        // the planning cost's penalties: recorded in the report, through the whitened cost as well
        assertEquals(0, Main.run("evaluate", "--run", whiteRun.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1", "--inverse-weight", "2", "--action-weight", "0.5", "--out",
                dir.resolve("pen").toString()));
        JsonNode pen = new ObjectMapper().readTree(dir.resolve("pen/report.json").toFile()).get("config");
        assertEquals(2.0, pen.get("planner.inverseWeight").asDouble());
        assertEquals(0.5, pen.get("planner.actionWeight").asDouble());
        assertEquals(0.2, pen.get("planner.costWhitening").asDouble());
        assertEquals(0.0, new ObjectMapper().readTree(whiteRun.resolve("eval/report.json").toFile()).get("config")
                .get("planner.inverseWeight").asDouble(), "off by default");
        CliRun.of("evaluate", "--run", whiteRun.toString(), "--data", table, "--inverse-weight", "-1", "--out",
                dir.resolve("neg-inv").toString()).assertUserError("planner.inverseWeight must be finite and >= 0");
    }

    @Test
    void ensemble_plansWithRunsOfTheSameSplitOrAnotherTable_andRefusesOneThatHeldOutOtherEpisodesOfThisOne(@TempDir Path dir)
            throws Exception {
        String table = dir.resolve("t").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 20, 40, 3, 5, 10), table, false);
        String config = new File(getClass().getResource("/tiny-tworoom.yaml").toURI()).getPath();
        Path a = dir.resolve("a"), b = dir.resolve("b"), other = dir.resolve("other");
        Path bConfig = dir.resolve("b.yaml");
        // b: another training seed on a's held-out episodes; other: another seed and its own split
        Files.writeString(bConfig, Files.readString(Path.of(config)).replaceFirst("(?m)^train:\\s*$",
                "train:\n  splitSeed: " + ConfigLoader.load(Path.of(config)).train().seed()));
        assertEquals(0, Main.run("train", "--data", table, "--out", a.toString(), "--config", config));
        assertEquals(0, Main.run("train", "--data", table, "--out", b.toString(), "--config", bConfig.toString(),
                "--seed", "11"));
        assertEquals(0, Main.run("train", "--data", table, "--out", other.toString(), "--config", config, "--seed", "11"));
        assertEquals(0, Main.run("evaluate", "--run", a.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1", "--cost-whitening", "0.2", "--inverse-weight", "2",
                "--ensemble", b.toString(), "--out", dir.resolve("ens").toString()));
        JsonNode rep = new ObjectMapper().readTree(dir.resolve("ens/report.json").toFile());
        assertEquals(List.of(b.resolve("checkpoint").toString()),
                List.of(rep.get("provenance").get("ensemble").get(0).asText()), "the members are recorded");
        assertEquals(3, rep.get("results").get(0).get("episodes").asInt());
        assertEquals(2.0, rep.get("config").get("planner.inverseWeight").asDouble());
        assertFalse(new ObjectMapper().readTree(run(a, table, dir, "alone").toFile()).get("provenance").has("ensemble"));

        CliRun.of("evaluate", "--run", a.toString(), "--data", table, "--episodes", "3", "--goal-offset", "10",
                "--ensemble", other.toString(), "--out", dir.resolve("x").toString())
                .assertUserError("holds out other episodes than the run");
        CliRun.of("evaluate", "--run", a.toString(), "--data", table, "--episodes", "3", "--goal-offset", "10",
                "--ensemble", b.toString(), "--master", "local[1]", "--out", dir.resolve("y").toString())
                .assertUserError("--ensemble plans on the driver");
        CliRun.of("evaluate", "--run", a.toString(), "--data", table, "--episodes", "3", "--goal-offset", "10",
                "--ensemble", dir.resolve("none").toString(), "--out", dir.resolve("z").toString())
                .assertUserError("--ensemble: no checkpoint at");
        assertFalse(Files.exists(dir.resolve("x")), "nothing written for a refused ensemble");
        // a model of another table (its own action statistics and split): a member, named in a note, whose
        // candidates' actions are converted into its normalisation (EnsembleLatentModelTest checks the conversion)
        String table2 = dir.resolve("t2").toString();
        LocalGenerator.generate(new GenerationSpec("tworoom", new EnvConfig("default", 16, List.of(), Map.of()),
                null, 20, 40, 4, 5, 10), table2, false);
        Path foreign = dir.resolve("foreign");
        assertEquals(0, Main.run("train", "--data", table2, "--out", foreign.toString(), "--config", config,
                "--seed", "11"));
        CliRun mixed = CliRun.of("evaluate", "--run", a.toString(), "--data", table, "--episodes", "3", "--goal-offset",
                "10", "--seed", "1", "--ensemble", foreign.toString(), "--out", dir.resolve("w").toString());
        assertEquals(0, mixed.code(), mixed.err());
        assertTrue((mixed.out() + mixed.err()).contains(foreign + " was trained on another table"), mixed.out() + mixed.err());
        JsonNode w = new ObjectMapper().readTree(dir.resolve("w/report.json").toFile());
        assertEquals(foreign.resolve("checkpoint").toString(), w.get("provenance").get("ensemble").get(0).asText());
        assertEquals(3, w.get("results").get(0).get("episodes").asInt());
    }

    private static Path run(Path runDir, String table, Path dir, String name) {
        Path out = dir.resolve(name);
        assertEquals(0, Main.run("evaluate", "--run", runDir.toString(), "--data", table, "--episodes", "3",
                "--goal-offset", "10", "--seed", "1", "--out", out.toString()));
        return out.resolve("report.json");
    }
}
