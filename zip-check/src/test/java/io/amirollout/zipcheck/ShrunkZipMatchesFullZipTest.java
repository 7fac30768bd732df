package io.amirollout.zipcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The gate for the R8-shrunk Lambda zips: for each function, its deployed (shrunk) {@code function.zip}
 * must answer every {@code events/<fn>/} sample exactly as the unshrunk {@code function-full.zip} does,
 * each run in its own JVM the way Lambda runs a zip, against the same local endpoint.
 *
 * <p>Shrinking removes what no code path visibly references; what is loaded by name or reflection (SDK
 * service metadata, Jackson mapping, credential providers, the SnapStart hooks) breaks only on the path
 * that needs it. So the check runs the production paths: the public constructor, the SnapStart priming,
 * every sample (happy paths stubbed, some calls answered with AWS errors so error unmarshalling and retries
 * run too, anything unstubbed answered 404), credentials from the container-credentials endpoint as under
 * SnapStart. Compared per sample: the result, the AWS operations sent, the log lines' level and message.
 */
class ShrunkZipMatchesFullZipTest {

    /**
     * What a shrinker breaks shows up as one of these (in stderr, a log line or a result), whether or not
     * the function caught it and answered something that happens to look alike.
     */
    private static final Pattern LINKAGE_FAILURE = Pattern.compile("ClassNotFoundException|NoClassDefFoundError"
            + "|NoSuchMethodError|NoSuchMethodException|NoSuchFieldError|NoSuchFieldException|VerifyError"
            + "|ExceptionInInitializerError|AbstractMethodError|IncompatibleClassChangeError|ServiceConfigurationError"
            + "|ClassFormatError|IllegalAccessError");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Path.of("target", "zip-check");

    private static WireMockServer server;

    @BeforeAll
    static void startEndpoint() throws IOException {
        Files.createDirectories(WORK);
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stopEndpoint() {
        if (server != null) {
            server.stop();
        }
    }

    /** Every function; {@code -Dzipcheck.only=a,b} narrows it while working on one. */
    static Stream<String> functions() {
        String only = System.getProperty("zipcheck.only", "");
        return FunctionSpec.NAMES.stream().filter(name -> only.isBlank() || List.of(only.split(",")).contains(name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void shrunkZipBehavesLikeFullZip(String function) throws Exception {
        FunctionSpec spec = FunctionSpec.of(function);
        Path fullZip = zip(function, "function-full.zip", "zipcheck.full." + function);
        Path shrunkZip = zip(function, "function.zip", "zipcheck.shrunk." + function);
        List<Path> events = events(function);

        ChildRun full = runAgainstFreshStubs(spec, "full", fullZip, events);
        ChildRun shrunk = runAgainstFreshStubs(spec, "shrunk", shrunkZip, events);

        List<String> problems = new ArrayList<>();
        problems.addAll(runProblems(spec, full, events));
        problems.addAll(runProblems(spec, shrunk, events));
        int identical = 0;
        for (Path event : events) {
            String file = event.getFileName().toString();
            String phase = "sample/" + file;
            String expected = ResultNormalizer.normalize(full.results().get(file));
            String actual = ResultNormalizer.normalize(shrunk.results().get(file));
            boolean same = expected.equals(actual);
            if (!same) {
                problems.add(file + " result:\n    full:   " + expected + "\n    shrunk: " + actual);
            }
            same &= compare(problems, file + " AWS operations", ops(spec, full, phase), ops(spec, shrunk, phase));
            same &= compare(problems, file + " log lines", logs(spec, full, phase), logs(spec, shrunk, phase));
            identical += same ? 1 : 0;
        }
        compare(problems, "constructor AWS operations", ops(spec, full, "construct"), ops(spec, shrunk, "construct"));
        compare(problems, "priming AWS operations", ops(spec, full, "priming"), ops(spec, shrunk, "priming"));
        compare(problems, "start-up log lines", logs(spec, full, "startup"), logs(spec, shrunk, "startup"));
        long successes = events.stream().map(e -> e.getFileName().toString())
                .filter(file -> String.valueOf(full.results().get(file)).startsWith("OK ")
                        && full.stubbed().getOrDefault("sample/" + file, 0) > 0)
                .count();

        // Says so when the two files are the same bytes (no shrinker ran), so a log reader knows nothing was tested.
        String sameBytes = Files.mismatch(fullZip, shrunkZip) == -1 ? ", SAME BYTES: not shrunk" : "";
        System.out.printf("zip-check %-22s %2d samples, %2d identical (result, AWS operations, log lines),"
                        + " %d reached an AWS success; full %.1f s (%s), shrunk %.1f s (%s%s)%n", function, events.size(),
                identical, successes, full.seconds(), size(fullZip), shrunk.seconds(), size(shrunkZip), sameBytes);

        if (successes == 0) {
            problems.add("no sample reached a success path (an OK result after a stubbed AWS call answered 2xx),"
                    + " so the comparison proves little; full results: " + full.results());
        }
        if (!problems.isEmpty()) {
            fail(function + ": the shrunk zip (" + shrunkZip + ") does not behave like the full zip (" + fullZip
                    + "); child output in " + WORK.toAbsolutePath() + "\n  " + String.join("\n  ", problems));
        }
    }

    private ChildRun runAgainstFreshStubs(FunctionSpec spec, String variant, Path zip, List<Path> events) throws Exception {
        server.resetAll();
        AwsWire.markers(server);
        AwsWire.containerCredentials(server);
        spec.stubHappyAndErrorPaths(server, server.baseUrl());
        return ChildRun.run(spec, variant, zip, events, server, WORK);
    }

    /** What must hold for each child on its own: ran to the end, priming done, no linkage error anywhere. */
    private static List<String> runProblems(FunctionSpec spec, ChildRun run, List<Path> events) {
        String where = run.variant() + " zip";
        List<String> problems = new ArrayList<>();
        if (!run.finished() || run.exitCode() != 0) {
            problems.add(where + " did not run to the end: exit " + run.exitCode() + "\nstderr:\n" + tail(run.stderr())
                    + "\nstdout:\n" + tail(run.stdout()));
            return problems;
        }
        if (run.results().size() != events.size()) {
            problems.add(where + ": " + run.results().size() + " results for " + events.size() + " samples");
        }
        for (String text : List.of(run.stderr(), run.stdout())) {
            Matcher linkage = LINKAGE_FAILURE.matcher(text);
            if (linkage.find()) {
                problems.add(where + " hit " + linkage.group() + ":\n" + around(text, linkage.start()));
            }
        }
        if (!"OK".equals(run.priming())) {
            problems.add(where + ": the SnapStart hooks threw: " + run.priming());
        }
        // SnapStartPriming logs "SnapStart priming done" after the function's warm-up ran without an
        // exception, "SnapStart priming failed" (with the error) otherwise.
        List<JsonNode> startup = run.logs().getOrDefault("startup", List.of()).stream()
                .map(ShrunkZipMatchesFullZipTest::parse).filter(Objects::nonNull).toList();
        boolean primed = startup.stream().anyMatch(line -> "SnapStart priming done".equals(line.path("message").asText())
                && spec.name().equals(line.path("function").asText()));
        if (!primed) {
            problems.add(where + ": no 'SnapStart priming done' log line for " + spec.name() + "; start-up log: "
                    + run.logs().get("startup"));
        }
        if (!run.operations().getOrDefault("priming", List.of()).isEmpty()) {
            problems.add(where + ": SnapStart priming reached the network: " + run.operations().get("priming"));
        }
        return problems;
    }

    private static boolean compare(List<String> problems, String what, List<String> full, List<String> shrunk) {
        if (full.equals(shrunk)) {
            return true;
        }
        problems.add(what + ":\n    full:   " + full + "\n    shrunk: " + shrunk);
        return false;
    }

    /**
     * A phase's AWS operations. The cross-account fan-out calls STS and Lambda from a thread pool, so their
     * interleaving differs from run to run: compared as a sorted multiset there, as a sequence elsewhere.
     */
    private static List<String> ops(FunctionSpec spec, ChildRun run, String phase) {
        return inOrder(spec, run.operations().getOrDefault(phase, List.of()));
    }

    /**
     * A phase's log lines reduced to what is the same on every run: level, message, and the error type a
     * caught exception was logged with (a shrunk zip that fails where the full one did not, but recovers,
     * shows here). Not the timestamp or other fields: they carry wall-clock times and durations.
     */
    private static List<String> logs(FunctionSpec spec, ChildRun run, String phase) {
        List<String> lines = new ArrayList<>();
        for (String line : run.logs().getOrDefault(phase, List.of())) {
            JsonNode json = parse(line);
            if (json == null) {
                lines.add(ResultNormalizer.normalize(line));
            } else {
                lines.add(json.path("level").asText() + " " + json.path("message").asText()
                        + (json.has("errorType") ? " errorType=" + json.path("errorType").asText() : ""));
            }
        }
        return inOrder(spec, lines);
    }

    private static List<String> inOrder(FunctionSpec spec, List<String> items) {
        List<String> copy = new ArrayList<>(items);
        if (spec.fanOutInParallel()) {
            copy.sort(null);
        }
        return copy;
    }

    private static Path zip(String function, String file, String overrideProperty) {
        String override = System.getProperty(overrideProperty);
        Path zip = override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("zipcheck.functions", "../functions"), function, "target", file);
        assertTrue(Files.isRegularFile(zip), "missing " + zip.toAbsolutePath() + ": package the functions first"
                + " (mvn package in functions/" + function + " leaves function-full.zip and the shrunk function.zip)");
        return zip;
    }

    private static List<Path> events(String function) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "events", function))) {
            List<Path> events = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertFalse(events.isEmpty(), "no samples in events/" + function);
            return events;
        }
    }

    private static JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static String size(Path zip) {
        try {
            return String.format("%.1f MB", Files.size(zip) / 1_048_576.0);
        } catch (IOException e) {
            return "?";
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }

    private static String around(String text, int index) {
        int start = Math.max(0, text.lastIndexOf('\n', Math.max(0, index - 600)));
        return text.substring(start, Math.min(text.length(), index + 1500));
    }
}
