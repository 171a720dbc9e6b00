package io.smwm.core.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch peer of {@link TrainBenchmark}: runs the bundled {@code torch_peer.py} (the same toy network, loss and
 * optimiser) in a child process and reads its median step time. The interpreter is {@code $SMWM_PYTHON} if set, else
 * the first of {@code python3} (the PATH's) and {@code /usr/bin/python3} (Debian's, where {@code python3-torch}
 * installs torch) that can import torch. Only for benchmarks; nothing in
 * training depends on Python.
 */
final class TorchPeer {
    private static final Pattern MEDIAN = Pattern.compile("\"median_ms\":\\s*([0-9.eE+-]+)");
    private final String python;
    private final Path script;
    private final String version;
    private final int threads;

    private TorchPeer(String python, Path script, String version, int threads) {
        this.python = python;
        this.script = script;
        this.version = version;
        this.threads = threads;
    }

    /** The peer, or null when no candidate interpreter can import torch. */
    static TorchPeer detect() {
        String env = System.getenv("SMWM_PYTHON");
        for (String py : env != null && !env.isBlank() ? List.of(env) : List.of("python3", "/usr/bin/python3")) {
            TorchPeer p = detect(py);
            if (p != null) return p;
        }
        return null;
    }

    private static TorchPeer detect(String python) {
        try {
            String v = run(List.of(python, "-c", "import torch; print(torch.__version__)"), 120).strip();
            Path script = Files.createTempFile("smwm-torch-peer", ".py");
            script.toFile().deleteOnExit();
            try (InputStream in = TorchPeer.class.getResourceAsStream("torch_peer.py")) {
                if (in == null) throw new IllegalStateException("torch_peer.py is missing from the jar");
                Files.write(script, in.readAllBytes());
            }
            String omp = System.getenv("OMP_NUM_THREADS");
            int threads = omp != null && omp.matches("\\d+") ? Integer.parseInt(omp)
                    : Runtime.getRuntime().availableProcessors();
            return new TorchPeer(python, script, v, threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    String version() { return version; }

    String describe() { return "torch " + version + " (" + python + ") on " + threads + " threads"; }

    /** The median step time in ms of {@code steps} steps at batch {@code b} after {@code warmup}. */
    double medianStepMillis(int b, int warmup, int steps) {
        try {
            String out = run(List.of(python, script.toString(), "--batch", Integer.toString(b), "--warmup",
                    Integer.toString(warmup), "--steps", Integer.toString(steps), "--threads",
                    Integer.toString(threads)), 3600);
            Matcher m = MEDIAN.matcher(out);
            if (!m.find()) throw new IllegalStateException("no median_ms in the PyTorch peer's output: " + out);
            return Double.parseDouble(m.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("the PyTorch peer failed: " + e.getMessage(), e);
        }
    }

    private static String run(List<String> cmd, long timeoutS) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // PyTorch runs with its own threading defaults, not the OpenMP tuning the launcher sets for the JVM
        pb.environment().remove("OMP_WAIT_POLICY");
        pb.environment().remove("GOMP_SPINCOUNT");
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + " timed out");
            }
            String s = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) throw new IOException(cmd.get(0) + " exited " + p.exitValue() + ": " + s.strip());
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
