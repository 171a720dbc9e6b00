package io.smwm.spark.deploy;

import static io.smwm.spark.deploy.DeployFilesTest.DEPLOY;
import static io.smwm.spark.deploy.DeployFilesTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/docker's Dockerfile and Dockerfile.gpu: only known instructions, nothing before the first FROM, every COPY
 * source in the repository (the build context is its root) or a named stage, Spark 3.5 / Scala 2.12 / Java 17 base
 * images, the jar in /opt/smwm/, and the GPU image (and only it) built with -Pcuda on a CUDA 11.6 image. No Docker
 * needed.
 */
class DockerfilesTest {
    private static final Set<String> INSTRUCTIONS = Set.of("FROM", "ARG", "RUN", "COPY", "ADD", "ENV", "LABEL",
            "USER", "WORKDIR", "ENTRYPOINT", "CMD", "EXPOSE", "VOLUME", "SHELL", "HEALTHCHECK", "STOPSIGNAL",
            "ONBUILD");

    /** The Dockerfiles' logical lines (continuations joined), instructions only. */
    private static List<String> dockerInstructions(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : Files.readAllLines(f)) {
            String t = line.strip();
            if (cur.isEmpty() && (t.isEmpty() || t.startsWith("#"))) continue;
            if (t.startsWith("#")) continue; // comment lines inside a continued instruction
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
            } else {
                out.add(cur.append(t).toString());
                cur.setLength(0);
            }
        }
        assertTrue(cur.isEmpty(), f + ": ends inside a continued line");
        return out;
    }

    @Test
    void dockerfilesAreSane() throws Exception {
        for (String name : List.of("Dockerfile", "Dockerfile.gpu")) {
            Path f = DEPLOY.resolve("docker").resolve(name);
            List<String> ins = dockerInstructions(f);
            Set<String> stages = new HashSet<>(Set.of("jar")); // the optional named build context
            Map<String, String> args = new HashMap<>();
            boolean from = false;
            for (String i : ins) {
                String kw = i.split("\\s+", 2)[0];
                assertTrue(INSTRUCTIONS.contains(kw), f + ": unknown instruction " + kw + " in: " + i);
                assertTrue(from || kw.equals("FROM") || kw.equals("ARG"), f + ": " + kw + " before the first FROM");
                if (kw.equals("ARG")) {
                    Matcher m = Pattern.compile("ARG (\\w+)=(\\S+)").matcher(i);
                    if (m.matches()) args.put(m.group(1), m.group(2));
                } else if (kw.equals("FROM")) {
                    from = true;
                    Matcher m = Pattern.compile("FROM (\\S+)(?: AS (\\S+))?").matcher(i);
                    assertTrue(m.matches(), f + ": " + i);
                    if (m.group(2) != null) stages.add(m.group(2));
                } else if (kw.equals("COPY")) {
                    List<String> words = new ArrayList<>(List.of(i.split("\\s+")));
                    words.remove(0);
                    String fromStage = null;
                    while (words.get(0).startsWith("--")) {
                        String flag = words.remove(0);
                        if (flag.startsWith("--from=")) fromStage = flag.substring(7);
                    }
                    if (fromStage != null) {
                        assertTrue(stages.contains(fromStage), f + ": COPY --from=" + fromStage + " names no stage");
                    } else {
                        for (String src : words.subList(0, words.size() - 1)) {
                            assertTrue(Files.exists(ROOT.resolve(src)), f + ": COPY source " + src
                                    + " is not in the repository (the build context is its root)");
                        }
                    }
                }
            }
            assertTrue(args.getOrDefault("SPARK_IMAGE", "").matches("apache/spark:3\\.5\\.\\d+-scala2\\.12-java17-.*"),
                    f + ": SPARK_IMAGE " + args.get("SPARK_IMAGE"));
            assertTrue(ins.stream().anyMatch(i -> i.matches("COPY --from=\\S+ .*smwm\\.jar.* /opt/smwm/")),
                    f + ": the jar goes to /opt/smwm/");
            boolean cudaBuild = ins.stream().anyMatch(i -> i.startsWith("RUN") && i.contains(" -Pcuda "));
            if (name.endsWith(".gpu")) {
                assertTrue(args.getOrDefault("CUDA_IMAGE", "").matches("nvidia/cuda:11\\.6[.\\d]*-cudnn8-.*"),
                        f + ": CUDA_IMAGE " + args.get("CUDA_IMAGE"));
                assertTrue(cudaBuild, f + ": the jar is built with -Pcuda");
            } else {
                assertFalse(cudaBuild, f + ": the CPU image builds without -Pcuda");
            }
        }
    }
}
