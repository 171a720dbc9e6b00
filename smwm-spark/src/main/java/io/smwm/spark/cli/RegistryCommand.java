package io.smwm.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smwm.core.util.UserError;
import io.smwm.spark.registry.ModelRegistry;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code smwm registry list|show|rollback}: look at a model registry and move its {@code current} pointer back. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Look at a model registry written by retrain: list its versions, show one, roll current back.",
        subcommands = {RegistryCommand.ListVersions.class, RegistryCommand.Show.class, RegistryCommand.Rollback.class})
final class RegistryCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }


    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per version: decision, benchmark "
            + "success, table fingerprint; * marks current.")
    static final class ListVersions implements Callable<Integer> {
        @Option(names = "--registry", required = true, description = "The registry directory: a local path or a Hadoop URI (file:, hdfs:, s3a:).")
        String registry;

        @Option(names = "--json", description = "Print a JSON array instead.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelRegistry reg = ModelRegistry.open(registry);
            String cur = reg.current().map(ModelRegistry.Version::name).orElse(null);
            var arr = JSON.createArrayNode();
            if (!json) System.out.printf("  %-8s %-9s %8s %11s  %-19s %s%n", "version", "decision", "success",
                    "non-trivial", "table", "created");
            for (ModelRegistry.Version v : reg.versions()) {
                JsonNode d = v.decision(), p = v.provenance(), e = p.path("evaluation");
                if (json) {
                    ObjectNode o = arr.addObject();
                    o.put("version", v.name());
                    o.put("current", v.name().equals(cur));
                    o.set("decision", d.path("decision"));
                    o.set("summary", d.path("summary"));
                    o.set("success_rate", e.path("success_rate"));
                    o.set("success_rate_nontrivial", e.path("success_rate_nontrivial"));
                    o.set("table_fingerprint", p.path("table_fingerprint"));
                    o.set("created_utc", p.path("created_utc"));
                } else {
                    String fp = p.path("table_fingerprint").asText("");
                    System.out.printf(Locale.ROOT, "%s %-8s %-9s %8s %11s  %-19s %s%n", v.name().equals(cur) ? "*" : " ",
                            v.name(), d.path("decision").asText("?"), pct(e.path("success_rate")),
                            pct(e.path("success_rate_nontrivial")), fp.length() > 19 ? fp.substring(0, 19) : fp,
                            p.path("created_utc").asText(""));
                }
            }
            if (json) System.out.println(JSON.writeValueAsString(arr));
            else System.out.println("current: " + (cur == null ? "none" : cur));
            return 0;
        }

        private static String pct(JsonNode n) {
            return n.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * n.asDouble()) : "-";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A version's provenance and decision as "
            + "JSON (default: the current version).")
    static final class Show implements Callable<Integer> {
        @Option(names = "--registry", required = true, description = "The registry directory: a local path or a Hadoop URI (file:, hdfs:, s3a:).")
        String registry;

        @Parameters(index = "0", arity = "0..1", paramLabel = "VERSION", description = "e.g. v3 (default: current).")
        String version;

        @Override
        public Integer call() throws Exception {
            ModelRegistry reg = ModelRegistry.open(registry);
            Optional<ModelRegistry.Version> cur = reg.current();
            ModelRegistry.Version v = version != null ? reg.version(version) : cur.orElseThrow(() -> new UserError(
                    "registry " + reg.location() + " has no promoted version yet; name one (versions: "
                            + reg.versions().stream().map(ModelRegistry.Version::name).toList() + ")"));
            ObjectNode o = JSON.createObjectNode();
            o.put("registry", reg.location());
            o.put("version", v.name());
            o.put("current", cur.map(ModelRegistry.Version::name).orElse(null));
            o.put("dir", v.location());
            o.set("provenance", v.provenance());
            o.set("decision", v.decision());
            System.out.println(JSON.writeValueAsString(o));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Point current at an earlier promoted "
            + "version, atomically: --to VERSION, or the version that was current before the current one was "
            + "promoted.")
    static final class Rollback implements Callable<Integer> {
        @Option(names = "--registry", required = true, description = "The registry directory: a local path or a Hadoop URI (file:, hdfs:, s3a:).")
        String registry;

        @Option(names = "--to", paramLabel = "VERSION", description = "The version to make current (it must have "
                + "passed the gate). Default: the previous promoted version.")
        String to;

        @Override
        public Integer call() throws Exception {
            ModelRegistry reg = ModelRegistry.open(registry);
            String before = reg.current().map(ModelRegistry.Version::name).orElse("none");
            ModelRegistry.Version now = reg.rollback(to);
            System.out.println(before.equals(now.name()) ? "current is already " + now.name()
                    : "current: " + before + " -> " + now.name());
            return 0;
        }
    }
}
