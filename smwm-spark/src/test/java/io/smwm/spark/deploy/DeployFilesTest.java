package io.smwm.spark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smwm.spark.cli.Main;
import io.smwm.spark.registry.GateConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import picocli.CommandLine;

/**
 * The files under deploy/ (the Airflow DAG, the Kubernetes manifests, the YARN script; the Dockerfiles are
 * {@link DockerfilesTest}'s): the DAG is
 * valid Python, every YAML document parses, the argument lists each file passes to {@code io.smwm.spark.cli.Main}
 * are accepted by the command line's own parser (so a renamed flag fails the build, not the scheduled run), every
 * driver and executor gets the Java 17 flags of {@code smwm-jvm.flags}, the gate-rejection exit code is the CLI's,
 * and the YARN script turns the registry's decision into its exit code. No Spark, no cluster: a few seconds.
 */
class DeployFilesTest {
    private static final String MAIN = "io.smwm.spark.cli.Main";
    static final Path ROOT = repositoryRoot();
    static final Path DEPLOY = ROOT.resolve("deploy");
    private static final Path DAG = DEPLOY.resolve("airflow/smwm_retrain_dag.py");
    private static final Path YARN = DEPLOY.resolve("yarn/retrain.sh");

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/README.md")) && Files.isRegularFile(p.resolve("smwm"))) return p;
        }
        throw new IllegalStateException("no repository root (with deploy/README.md) above " + Path.of("").toAbsolutePath());
    }

    // ---------------------------------------------------------------------------------------------- the CLI parser

    /**
     * Parses {@code args} with the command line Main runs ({@code new CommandLine(new Main())}), without executing
     * anything; fails naming the file and the refused argument.
     */
    static void assertCliAccepts(String where, List<String> args) {
        CommandLine cl = new CommandLine(new Main());
        try {
            CommandLine.ParseResult r = cl.parseArgs(args.toArray(String[]::new));
            assertTrue(r.hasSubcommand(), where + ": " + args + " names no smwm command");
        } catch (CommandLine.ParameterException e) {
            fail(where + ": io.smwm.spark.cli.Main refuses " + args + ": " + e.getMessage());
        }
    }

    /** retrain's gate-rejection exit code, read from the CLI itself. */
    private static int rejectedExitCode() throws Exception {
        var f = Class.forName("io.smwm.spark.cli.RetrainCommand").getDeclaredField("REJECTED");
        f.setAccessible(true);
        return f.getInt(null);
    }

    @Test
    void theArgumentCheckCanFail() {
        assertCliAccepts("example", List.of("retrain", "--registry", "/r", "--data", "/t", "--epochs", "2"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> assertCliAccepts("example", List.of("retrain", "--registy", "/r", "--data", "/t")));
        assertTrue(e.getMessage().contains("--registy"), e.getMessage());
        assertThrows(AssertionError.class, () -> assertCliAccepts("example", List.of("retrain", "--data", "/t")),
                "a missing required option is refused too");
        assertThrows(AssertionError.class,
                () -> assertCliAccepts("example", List.of("retrain", "--registry", "/r", "--data", "/t", "--epochs",
                        "four")), "a value of the wrong type is refused too");
    }

    // ---------------------------------------------------------------------------------------------- Java 17 flags

    /** The build's flags file: every token must be on every driver and executor JVM of every deploy file. */
    private static List<String> buildFlags() throws IOException {
        try (InputStream in = DeployFilesTest.class.getResourceAsStream("/smwm-jvm.flags")) {
            assertNotNull(in, "smwm-jvm.flags is not on the test class path (target/classes)");
            List<String> flags = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
            assertTrue(flags.stream().anyMatch(f -> f.startsWith("--add-opens=")), "unfiltered flags file: " + flags);
            return flags;
        }
    }

    /**
     * {@code javaOptions} carries every flag of smwm-jvm.flags; ND4J's off-heap limits
     * ({@code -Dorg.bytedeco.javacpp.max*}) only need to be present, their values are sized per deployment.
     */
    private static void assertJvmFlags(String where, String javaOptions) throws IOException {
        assertNotNull(javaOptions, where + ": no JVM options");
        Set<String> have = new HashSet<>(Arrays.asList(javaOptions.trim().split("\\s+")));
        for (String f : buildFlags()) {
            if (f.startsWith("-Dorg.bytedeco.javacpp.max")) {
                String key = f.substring(0, f.indexOf('=') + 1);
                assertTrue(have.stream().anyMatch(h -> h.startsWith(key)), where + ": no " + key + "...");
            } else {
                assertTrue(have.contains(f), where + ": lacks " + f + " of smwm-jvm.flags");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- Airflow

    @Test
    void dagIsValidPython(@TempDir Path tmp) throws Exception {
        ProcessResult version = tryRun(List.of("python3", "--version"), Map.of(), tmp);
        assumeTrue(version != null && version.code() == 0, "python3 not found");
        // PYTHONPYCACHEPREFIX keeps the compiled file out of deploy/airflow/__pycache__
        ProcessResult r = run(List.of("python3", "-m", "py_compile", DAG.toString()),
                Map.of("PYTHONPYCACHEPREFIX", tmp.resolve("pycache").toString()), tmp);
        assertEquals(0, r.code(), "python3 -m py_compile " + DAG + ":\n" + r.output());
    }

    @Test
    void dagArgumentsAreAcceptedByTheCli() throws Exception {
        String src = Files.readString(DAG);
        Map<String, String> constants = DeployArgs.pythonStringConstants(src);
        Map<String, String> params = DeployArgs.pythonParamDefaults(src);
        assertEquals(MAIN, constants.get("MAIN_CLASS"), "the DAG's MAIN_CLASS");
        assertTrue(src.contains("java_class=MAIN_CLASS"), "the SparkSubmitOperators run MAIN_CLASS");
        assertTrue(Pattern.compile("(?m)^GATE_REJECTED = " + rejectedExitCode() + "\\b").matcher(src).find(),
                "GATE_REJECTED must be retrain's rejection exit code " + rejectedExitCode());
        assertTrue(params.containsKey("warm_start") && params.containsKey("config"), "params: " + params);

        List<List<String>> lists = DeployArgs.pythonApplicationArgs(src, constants);
        Set<String> commands = new HashSet<>();
        for (List<String> raw : lists) {
            List<String> args = raw.stream().map(a -> DeployArgs.renderJinja(a, params)).toList();
            assertCliAccepts("deploy/airflow/smwm_retrain_dag.py", args);
            commands.add(args.get(0));
        }
        assertTrue(commands.containsAll(List.of("generate", "import", "validate", "retrain")), "commands: " + commands);
        // params.warm_start renders as --warm-start=false / true, both accepted
        List<String> retrain = lists.stream().filter(l -> l.get(0).equals("retrain")).findFirst().orElseThrow();
        Map<String, String> warm = new HashMap<>(params);
        warm.put("warm_start", "True");
        assertCliAccepts("the DAG's retrain with warm_start", retrain.stream()
                .map(a -> DeployArgs.renderJinja(a, warm)).toList());
        assertJvmFlags("the DAG's JVM_FLAGS", constants.get("JVM_FLAGS"));
    }

    // ---------------------------------------------------------------------------------------------- YAML

    private static Yaml yaml() {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(lo), new Representer(new DumperOptions()), new DumperOptions(), lo);
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> s = Files.walk(DEPLOY)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** Every document of every Kubernetes manifest, with its file. */
    private static List<Map.Entry<Path, Map<String, Object>>> kubernetesDocuments() throws IOException {
        List<Map.Entry<Path, Map<String, Object>>> out = new ArrayList<>();
        for (Path f : yamlFiles()) {
            if (!f.startsWith(DEPLOY.resolve("kubernetes"))) continue;
            for (Object doc : yaml().loadAll(Files.readString(f))) out.add(Map.entry(f, map(doc, f + ": a document")));
        }
        return out;
    }

    @Test
    void everyYamlFileParses() throws Exception {
        List<Path> files = yamlFiles();
        assertTrue(files.size() >= 4, "YAML files under deploy/: " + files);
        for (Path f : files) {
            List<Object> docs = new ArrayList<>();
            try {
                yaml().loadAll(Files.readString(f)).forEach(docs::add);
            } catch (RuntimeException e) {
                fail(ROOT.relativize(f) + " is not valid YAML: " + e.getMessage());
            }
            assertFalse(docs.isEmpty(), f + " is empty");
            if (f.startsWith(DEPLOY.resolve("kubernetes"))) {
                for (Object d : docs) {
                    Map<String, Object> m = map(d, f + ": a document");
                    assertTrue(m.get("apiVersion") instanceof String && m.get("kind") instanceof String,
                            f + ": a manifest without apiVersion or kind: " + m.keySet());
                }
            }
        }
        // the gate file the images ship, and its copy in the ConfigMap: valid gates, the same thresholds
        GateConfig gate = GateConfig.load(DEPLOY.resolve("gate.yaml"));
        int configMaps = 0;
        for (var e : kubernetesDocuments()) {
            Map<String, Object> d = e.getValue();
            if ("ConfigMap".equals(d.get("kind")) && map(d.get("data"), "data").containsKey("gate.yaml")) {
                assertEquals(gate, GateConfig.parse((String) map(d.get("data"), "data").get("gate.yaml"),
                        e.getKey().toString()), e.getKey() + ": the ConfigMap's gate differs from deploy/gate.yaml");
                configMaps++;
            }
        }
        assertEquals(1, configMaps, "one ConfigMap with gate.yaml");
    }

    @Test
    void kubernetesArgumentsAreAcceptedByTheCli() throws Exception {
        int rejected = rejectedExitCode();
        int submits = 0, apps = 0;
        for (var e : kubernetesDocuments()) {
            String where = ROOT.relativize(e.getKey()).toString();
            Map<String, Object> d = e.getValue();
            if ("CronJob".equals(d.get("kind"))) {
                Map<String, Object> job = map(at(d, "spec", "jobTemplate", "spec"), "job spec");
                Map<String, Object> pod = map(at(job, "template", "spec"), "pod spec");
                List<Object> containers = new ArrayList<>(list(pod.getOrDefault("initContainers", List.of())));
                containers.addAll(list(pod.get("containers")));
                for (Object o : containers) {
                    Map<String, Object> c = map(o, "container");
                    List<String> args = strings(c.getOrDefault("args", List.of()));
                    if (!args.contains(MAIN)) continue;
                    String name = where + " container " + c.get("name");
                    List<String> command = strings(c.get("command"));
                    assertEquals(1, command.size(), name + ": command is spark-submit alone");
                    assertTrue(command.get(0).endsWith("/spark-submit"), name + ": command " + command);
                    DeployArgs.SubmitLine s = DeployArgs.splitSubmit(args);
                    assertEquals(MAIN, s.option("--class"), name);
                    assertTrue(s.primaryResource().endsWith("smwm.jar"), name + ": jar " + s.primaryResource());
                    Map<String, String> env = new HashMap<>();
                    for (Object v : list(c.getOrDefault("env", List.of()))) {
                        Map<String, Object> ev = map(v, "env");
                        if (ev.get("value") != null) env.put((String) ev.get("name"), ev.get("value").toString());
                    }
                    assertCliAccepts(name, s.appArgs().stream().map(a -> DeployArgs.expandK8s(a, env::get)).toList());
                    assertJvmFlags(name + " driver", s.option("--driver-java-options"));
                    if (s.option("--master").startsWith("k8s://")) {
                        assertJvmFlags(name + " executors", s.conf("spark.executor.extraJavaOptions"));
                        assertEquals("client", s.option("--deploy-mode"), name + ": the pod is the driver");
                    }
                    submits++;
                }
                // a rejection (and bad input) ends the Job without a retry
                boolean failsJobOnRejection = false;
                for (Object r : list(at(job, "podFailurePolicy", "rules"))) {
                    Map<String, Object> rule = map(r, "rule");
                    Object codes = rule.get("onExitCodes");
                    if ("FailJob".equals(rule.get("action")) && codes != null
                            && "retrain".equals(map(codes, "onExitCodes").get("containerName"))
                            && list(map(codes, "onExitCodes").get("values")).contains(rejected)) {
                        failsJobOnRejection = true;
                    }
                }
                assertTrue(failsJobOnRejection, where + ": podFailurePolicy must FailJob on exit " + rejected);
            } else if ("SparkApplication".equals(d.get("kind"))) {
                assertEquals("sparkoperator.k8s.io/v1beta2", d.get("apiVersion"), where);
                Map<String, Object> spec = map(d.get("spec"), "spec");
                assertEquals(MAIN, spec.get("mainClass"), where);
                assertTrue(String.valueOf(spec.get("mainApplicationFile")).endsWith("smwm.jar"), where);
                assertCliAccepts(where, strings(spec.get("arguments")));
                assertJvmFlags(where + " driver", (String) at(spec, "driver", "javaOptions"));
                assertJvmFlags(where + " executor", (String) at(spec, "executor", "javaOptions"));
                apps++;
            }
        }
        assertEquals(2, submits, "spark-submit containers of the CronJob (validate, retrain)");
        assertEquals(1, apps, "SparkApplications");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertTrue(o instanceof Map, what + " is not a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertTrue(o instanceof List, "not a list: " + o);
        return (List<Object>) o;
    }

    private static List<String> strings(Object o) {
        return list(o).stream().map(v -> {
            assertTrue(v instanceof String, "a non-string argument " + v + " (quote numbers in args lists)");
            return (String) v;
        }).toList();
    }

    private static Object at(Map<String, Object> m, String... keys) {
        Object o = m;
        for (String k : keys) o = map(o, String.join(".", keys)).get(k);
        return o;
    }

    // ---------------------------------------------------------------------------------------------- YARN

    /** Runs retrain.sh with a spark-submit that records its arguments and plays the driver's part in the registry. */
    private static ProcessResult yarn(Path tmp, Map<String, String> env) throws Exception {
        Path fake = tmp.resolve("spark-submit");
        Files.writeString(fake, """
                #!/usr/bin/env bash
                printf '%s\\0' "$@" > "$FAKE_ARGS"
                if [ -n "${FAKE_DECISION:-}" ]; then
                  mkdir -p "$SMWM_REGISTRY/versions/v2"
                  printf '{\\n  "version" : "v2",\\n  "decision" : "%s"\\n}\\n' "$FAKE_DECISION" \\
                    > "$SMWM_REGISTRY/versions/v2/decision.json"
                fi
                exit "${FAKE_RC:-0}"
                """);
        assertTrue(fake.toFile().setExecutable(true), "chmod +x " + fake);
        Files.createDirectories(tmp.resolve("reg/versions/v1"));
        Files.deleteIfExists(tmp.resolve("reg/versions/v2/decision.json"));
        Files.deleteIfExists(tmp.resolve("reg/versions/v2"));
        Files.writeString(tmp.resolve("smwm.jar"), "");
        Map<String, String> e = new LinkedHashMap<>();
        e.put("SPARK_SUBMIT", fake.toString());
        e.put("FAKE_ARGS", tmp.resolve("args").toString());
        e.put("SMWM_REGISTRY", tmp.resolve("reg").toString());
        e.put("SMWM_JAR", tmp.resolve("smwm.jar").toString());
        e.putAll(env);
        return run(List.of("bash", YARN.toString()), e, tmp);
    }

    private static List<String> recordedArgs(Path tmp) throws IOException {
        String s = Files.readString(tmp.resolve("args"));
        return List.of(s.substring(0, s.length() - 1).split("\0", -1));
    }

    @Test
    void yarnScriptArgumentsAreAcceptedAndTheDecisionIsItsExitCode(@TempDir Path tmp) throws Exception {
        assumeTrue(tryRun(List.of("bash", "-c", "true"), Map.of(), tmp) != null, "bash not found");
        int rejected = rejectedExitCode();

        // defaults, cluster mode; YARN reports every System.exit as a failure, so spark-submit exits 1 either way
        ProcessResult r = yarn(tmp, Map.of("FAKE_DECISION", "promoted", "FAKE_RC", "1"));
        assertEquals(0, r.code(), "promoted: " + r.output());
        DeployArgs.SubmitLine s = DeployArgs.splitSubmit(recordedArgs(tmp));
        assertEquals(MAIN, s.option("--class"));
        assertEquals("yarn", s.option("--master"));
        assertEquals("cluster", s.option("--deploy-mode"));
        assertCliAccepts("deploy/yarn/retrain.sh", s.appArgs());
        assertEquals("gate.yaml", s.appArgs().get(s.appArgs().indexOf("--gate") + 1), "shipped with --files");
        assertTrue(s.option("--files").endsWith("deploy/gate.yaml"), "--files " + s.option("--files"));
        assertEquals("1", s.conf("spark.yarn.maxAppAttempts"), "a second attempt would train a second candidate");
        assertEquals(s.conf("spark.task.cpus"), s.conf("spark.executorEnv.OMP_NUM_THREADS"));
        assertJvmFlags("retrain.sh driver", s.conf("spark.driver.extraJavaOptions"));
        assertJvmFlags("retrain.sh executors", s.conf("spark.executor.extraJavaOptions"));

        r = yarn(tmp, Map.of("FAKE_DECISION", "rejected", "FAKE_RC", "1"));
        assertEquals(rejected, r.code(), "rejected: " + r.output());
        r = yarn(tmp, Map.of("FAKE_RC", "1"));
        assertEquals(1, r.code(), "no new version: a failure: " + r.output());

        // the optional settings, client mode: the driver's own exit code comes through
        r = yarn(tmp, Map.of("FAKE_RC", "2", "SMWM_DEPLOY_MODE", "client", "SMWM_WARM_START", "1", "SMWM_EPOCHS",
                "3", "SMWM_BENCHMARK_DATA", "hdfs:///t/bench", "SMWM_EXTRA_ARGS", "--lambda 0.3 --batch-size 64"));
        assertEquals(2, r.code(), "bad input: " + r.output());
        s = DeployArgs.splitSubmit(recordedArgs(tmp));
        assertCliAccepts("deploy/yarn/retrain.sh (all options)", s.appArgs());
        assertTrue(s.appArgs().containsAll(List.of("--warm-start", "--epochs", "--benchmark-data", "--lambda")),
                s.appArgs().toString());

        r = yarn(tmp, Map.of("SMWM_TASK_CPUS", "3"));
        assertEquals(2, r.code(), "4 executor cores are not a multiple of 3 task cpus: " + r.output());
    }

    // ---------------------------------------------------------------------------------------------- processes

    record ProcessResult(int code, String output) {}

    private static ProcessResult run(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        ProcessResult r = tryRun(cmd, env, dir);
        if (r == null) fail("cannot start " + cmd);
        return r;
    }

    /** Runs a command with a minimal environment (PATH, HOME and {@code env}); null if it cannot be started. */
    private static ProcessResult tryRun(List<String> cmd, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        String path = e.get("PATH"), home = e.get("HOME");
        e.clear();
        if (path != null) e.put("PATH", path);
        if (home != null) e.put("HOME", home);
        e.putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            return null;
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(cmd + " did not finish in 60 s");
        }
        return new ProcessResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
