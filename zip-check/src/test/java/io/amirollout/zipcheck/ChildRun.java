package io.amirollout.zipcheck;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One child JVM over one zip: unpacked into target/, started with only the Lambda-like environment, every
 * sample invoked once. Holds what the parent compares: the launcher's lines, the function's log lines,
 * stderr, and the AWS operations WireMock saw, grouped by the launcher's phase markers.
 *
 * @param results    per event file, the launcher's outcome ({@code OK <json>} or {@code THREW ...})
 * @param logs       per phase (startup = construct and priming, sample/&lt;file&gt;), the function's log lines
 * @param operations per phase (construct, priming, sample/&lt;file&gt;), the AWS operations in arrival order
 * @param stubbed    per phase, how many AWS requests a stub answered with a 2xx (success unmarshallers ran)
 */
record ChildRun(String variant, Path zip, int exitCode, boolean finished, String priming,
                Map<String, String> results, Map<String, List<String>> logs, String stdout, String stderr,
                Map<String, List<String>> operations, Map<String, Integer> stubbed, double seconds) {

    private static final long TIMEOUT_SECONDS = 180;

    static ChildRun run(FunctionSpec spec, String variant, Path zip, List<Path> events, WireMockServer server,
                        Path workDir) throws IOException, InterruptedException {
        Path root = workDir.resolve(spec.name()).resolve(variant).toAbsolutePath();
        unpack(zip, root);
        Path stdoutFile = workDir.resolve(spec.name() + "-" + variant + ".stdout.txt");
        Path stderrFile = workDir.resolve(spec.name() + "-" + variant + ".stderr.txt");

        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", classpath(root), ZipLauncher.class.getName(), spec.handler(), server.baseUrl()));
        events.forEach(e -> command.add(e.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectOutput(stdoutFile.toFile())
                .redirectError(stderrFile.toFile());
        builder.environment().clear();
        builder.environment().putAll(spec.environment(server.baseUrl(), root.toString()));

        server.resetRequests();
        long start = System.nanoTime();
        Process process = builder.start();
        boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        String stdout = Files.readString(stdoutFile);
        String stderr = Files.readString(stderrFile);
        String priming = null;
        boolean done = false;
        Map<String, String> results = new LinkedHashMap<>();
        Map<String, List<String>> logs = new LinkedHashMap<>();
        // The launcher prints its line after each phase, so the log lines before it are that phase's.
        List<String> pending = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("@@PRIMING ")) {
                priming = line.substring("@@PRIMING ".length());
                logs.put("startup", pending);
                pending = new ArrayList<>();
            } else if (line.startsWith("@@RESULT ")) {
                String rest = line.substring("@@RESULT ".length());
                int space = rest.indexOf(' ');
                results.put(rest.substring(0, space), rest.substring(space + 1));
                logs.put("sample/" + rest.substring(0, space), pending);
                pending = new ArrayList<>();
            } else if (line.equals("@@DONE")) {
                done = true;
            } else if (!line.isBlank()) {
                pending.add(line);
            }
        }
        if (!pending.isEmpty()) {
            logs.put(done ? "after" : "unfinished", pending);
        }
        Map<String, List<String>> operations = new LinkedHashMap<>();
        Map<String, Integer> stubbed = new LinkedHashMap<>();
        collectOperations(server, operations, stubbed);
        // Kept next to the child's output so a failing CI run can be read without re-running it.
        StringBuilder dump = new StringBuilder();
        operations.forEach((phase, ops) -> dump.append(phase).append('\n')
                .append(ops.stream().map(op -> "    " + op + "\n").reduce("", String::concat)));
        Files.writeString(workDir.resolve(spec.name() + "-" + variant + ".operations.txt"), dump);
        return new ChildRun(variant, zip, exited ? process.exitValue() : -1, exited && done, priming, results,
                logs, stdout, stderr, operations, stubbed, seconds);
    }

    /**
     * The AWS operations as WireMock saw them, split at the launcher's markers. An operation is what a
     * shrinker could change (method, path, Action= or X-Amz-Target), never what differs on every run
     * (signature, date, SDK invocation id) or the body's parameters, which the results already reflect.
     */
    private static void collectOperations(WireMockServer server, Map<String, List<String>> operations,
                                          Map<String, Integer> stubbed) {
        // The journal lists the newest first; the launcher waits for each marker's answer, so every request
        // after a marker in arrival order belongs to that marker's phase.
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events);
        String phase = "before-construct";
        for (ServeEvent event : events) {
            LoggedRequest request = event.getRequest();
            String path = request.getUrl().split("\\?", 2)[0];
            if (path.startsWith(AwsWire.MARKER_PREFIX)) {
                phase = URLDecoder.decode(path.substring(AwsWire.MARKER_PREFIX.length()), StandardCharsets.UTF_8);
                continue;
            }
            int status = event.getResponse() == null ? 0 : event.getResponse().getStatus();
            operations.computeIfAbsent(phase, p -> new ArrayList<>()).add(operation(request) + " -> " + status);
            if (event.getWasMatched() && status / 100 == 2 && !path.equals(AwsWire.CREDENTIALS_PATH)) {
                stubbed.merge(phase, 1, Integer::sum);
            }
        }
    }

    static String operation(LoggedRequest request) {
        StringBuilder op = new StringBuilder(request.getMethod().getName()).append(' ')
                .append(request.getUrl().split("\\?", 2)[0]);
        String target = request.getHeader("X-Amz-Target");
        if (target != null) {
            op.append(" X-Amz-Target=").append(target);
        }
        String body = request.getBodyAsString();
        if (body != null && body.contains("Action=")) {
            for (String pair : body.split("&")) {
                if (pair.startsWith("Action=")) {
                    op.append(' ').append(pair);
                }
            }
        }
        return op.toString();
    }

    /** Lambda's class path: the zip's root first, then every jar in lib/; then the launcher's own classes. */
    private static String classpath(Path root) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(root.toString());
        Path lib = root.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
            }
        }
        entries.add(launcherLocation().toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** Where ZipLauncher was compiled to (target/test-classes): after the zip, so the zip's classes win. */
    private static Path launcherLocation() {
        try {
            return Path.of(ZipLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK running this test: a Lambda runtime is a JDK too, and the zips were built for it. */
    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void unpack(Path zip, Path target) throws IOException {
        deleteRecursively(target);
        Files.createDirectories(target);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(entries, out);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
