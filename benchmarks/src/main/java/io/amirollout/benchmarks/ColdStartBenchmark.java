package io.amirollout.benchmarks;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Cold-start benchmark driver (see benchmarks/README.md). For each function: unpack its function.zip,
 * start a local AWS + Slack endpoint (WireMock, 127.0.0.1), then start fresh JVMs the way the Lambda Java
 * runtime does (classpath = unpacked classes, then lib/*.jar) running {@code ColdStartLauncher}, which
 * constructs the handler with its no-arg constructor and invokes it once with an events/ sample.
 *
 * <p>Time to first result = wall time measured HERE, from {@code ProcessBuilder.start()} to the moment the
 * child's {@code @@RESULT} line is read: it includes JVM boot, class loading, handler construction and the
 * invocation, which is what a cold start costs (minus Lambda's own runtime-client start, identical for
 * every build). Peak RSS = the child's VmHWM read from /proc/self/status right after the invocation.
 *
 * <p>Builds of the same function: "ours" (the deployed function.zip, shrunk by function-shrinker),
 * "snapstart" (the same zip, SnapStart hooks run before the timed invocation), "unshrunk" (function-full.zip)
 * and "naive" (function-full.zip with AWS SDK defaults: a naive AwsClients first on the classpath,
 * apache-client and every project SDK module appended, url-connection-client removed).
 */
public final class ColdStartBenchmark {

    /** Lambda's Java 17 runtime starts the JVM with C1 only and the serial GC (documented defaults). */
    static final String LAMBDA_JAVA17_DEFAULTS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    /** A 512 MB function: the JVM sizes its heap from the container limit, as it does in Lambda. */
    static final String MEMORY = "-XX:MaxRAM=512m";

    private final Path root;
    private final Path work;
    private final int runs;
    private final String zips;
    private final WireMockServer server;

    private ColdStartBenchmark(Path root, Path work, int runs, String zips) {
        this.zips = zips;
        this.root = root;
        this.work = work;
        this.runs = runs;
        this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        Path root = Path.of(opts.getOrDefault("root", ".")).toAbsolutePath().normalize();
        Path work = Path.of(opts.getOrDefault("work", root.resolve("benchmarks/target/run").toString()));
        int runs = Integer.parseInt(opts.getOrDefault("runs", "7"));
        List<String> functions = opts.containsKey("functions")
                ? List.of(opts.get("functions").split(",")) : Functions.NAMES;
        List<String> variants = List.of(opts.getOrDefault("variants", "ours,snapstart,unshrunk,naive").split(","));
        // JVM option sets: "name=options;name=options". Default: what Lambda's Java 17 runtime uses.
        Map<String, String> jvmSets = new LinkedHashMap<>();
        for (String set : opts.getOrDefault("jvm", "lambda-java17=" + LAMBDA_JAVA17_DEFAULTS).split(";")) {
            int eq = set.indexOf('=');
            jvmSets.put(set.substring(0, eq).trim(), set.substring(eq + 1).trim());
        }
        new ColdStartBenchmark(root, work, runs, opts.get("zips")).run(functions, variants, jvmSets, opts.get("markdown"));
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --root DIR --runs N --functions a,b --variants ours,naive,snapstart "
                        + "--jvm 'name=opts;name=opts' --markdown FILE --work DIR --zips DIR");
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }

    private void run(List<String> functions, List<String> variants, Map<String, String> jvmSets, String markdown)
            throws Exception {
        Files.createDirectories(work);
        server.start();
        String endpoint = "http://127.0.0.1:" + server.port();
        List<Row> rows = new ArrayList<>();
        try {
            for (String name : functions) {
                Functions.Spec spec = Functions.spec(name, endpoint);
                // The deployed zip (shrunk by function-shrinker) and the unshrunk one it was made from; --zips DIR
                // measures other packages of the same functions (DIR/<function>/function.zip and function-full.zip).
                Path folder = zips == null ? root.resolve("functions/" + name + "/target") : Path.of(zips).resolve(name);
                Path zip = folder.resolve("function.zip");
                Path fullZip = folder.resolve("function-full.zip");
                if (!Files.exists(zip) || !Files.exists(fullZip)) {
                    System.out.println("skip " + name + ": no " + zip + " or " + fullZip + " (run mvn -B verify -DskipITs first)");
                    continue;
                }
                Path unpacked = unpack(zip, work.resolve(name));
                Path unpackedFull = unpack(fullZip, work.resolve(name + "-full"));
                Path event = root.resolve("events/" + name + "/" + spec.event());
                server.resetAll();
                spec.stubs().accept(server);
                for (Map.Entry<String, String> jvm : jvmSets.entrySet()) {
                    Map<String, List<String>> classpaths = new LinkedHashMap<>();
                    Map<String, Long> sizes = new LinkedHashMap<>();
                    for (String variant : variants) {
                        // naive and unshrunk start from the unshrunk zip (a naive build has no shrink step);
                        // ours and snapstart run the zip that is deployed.
                        boolean unshrunk = variant.equals("naive") || variant.equals("unshrunk");
                        Path dir = unshrunk ? unpackedFull : unpacked;
                        // CDS refuses a non-empty directory on the classpath: with @appcds the classes go in a jar.
                        classpaths.put(variant, classpath(variant.equals("naive") ? "naive" : "ours",
                                jvm.getValue().contains("@appcds") ? jarred(dir) : dir));
                        sizes.put(variant, variant.equals("naive") ? naiveSize(fullZip, classpaths.get(variant))
                                : Files.size(unshrunk ? fullZip : zip));
                    }
                    Map<String, List<Sample>> samples = new LinkedHashMap<>();
                    String jvmOptions = jvm.getValue();
                    for (String variant : variants) {
                        samples.put(variant, new ArrayList<>());
                        // Application CDS needs a training run that writes the archive for this exact classpath.
                        if (jvmOptions.contains("@appcds")) {
                            Path archive = work.resolve(name + "-" + variant + ".jsa");
                            Files.deleteIfExists(archive);
                            launch(spec, variant, classpaths.get(variant), event,
                                    jvmOptions.replace("@appcds", "-XX:ArchiveClassesAtExit=" + archive), name + "-" + variant + "-train");
                        }
                        // One untimed run first: the page cache then holds the jars for every timed run alike.
                        Sample warm = launch(spec, variant, classpaths.get(variant), event, resolve(jvmOptions, name, variant), name + "-" + variant);
                        System.out.printf(Locale.ROOT, "%-22s %-6s %-14s result: %s%n", name, variant, jvm.getKey(), abbreviate(warm.result(), 220));
                    }
                    List<LoggedRequest> unmatched = server.findAllUnmatchedRequests();
                    if (!unmatched.isEmpty()) {
                        System.out.println("  WARNING " + name + ": requests the local endpoint has no stub for: "
                                + unmatched.stream().map(r -> r.getMethod() + " " + r.getUrl() + " " + describe(r))
                                .distinct().collect(Collectors.joining(", ")));
                    }
                    // Interleaved: machine noise falls on both builds alike.
                    for (int i = 0; i < runs; i++) {
                        for (String variant : variants) {
                            samples.get(variant).add(launch(spec, variant, classpaths.get(variant), event,
                                    resolve(jvmOptions, name, variant), name + "-" + variant));
                        }
                    }
                    for (String variant : variants) {
                        rows.add(Row.of(name, variant, jvm.getKey(), samples.get(variant), sizes.get(variant)));
                    }
                }
            }
        } finally {
            server.stop();
        }
        String table = Row.table(rows, variants);
        System.out.println();
        System.out.println(table);
        if (markdown != null) {
            Files.writeString(Path.of(markdown), table, StandardCharsets.UTF_8);
        }
    }

    private String resolve(String jvmOptions, String name, String variant) {
        return jvmOptions.replace("@appcds", "-XX:SharedArchiveFile=" + work.resolve(name + "-" + variant + ".jsa"));
    }

    private static String describe(LoggedRequest request) {
        String target = request.getHeader("X-Amz-Target");
        if (target != null) {
            return target;
        }
        String body = request.getBodyAsString();
        int action = body.indexOf("Action=");
        return action < 0 ? "" : body.substring(action, Math.min(body.length(), body.indexOf('&', action) < 0
                ? body.length() : body.indexOf('&', action)));
    }

    /** ours: classes dir, lib/*.jar, launcher. naive: naive AwsClients first, then ours minus url-connection-client, plus naive-lib. */
    private List<String> classpath(String variant, Path unpacked) throws IOException {
        Path target = root.resolve("benchmarks/target");
        List<String> cp = new ArrayList<>();
        List<Path> lib;
        try (Stream<Path> jars = Files.list(unpacked.resolve("lib"))) {
            lib = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        if (variant.equals("naive")) {
            cp.add(single(target, "-naive-awsclients.jar").toString());
            if (!unpacked.getFileName().toString().endsWith("-jarred")) {
                cp.add(unpacked.toString());
            }
            lib.stream().filter(p -> !p.getFileName().toString().startsWith("url-connection-client"))
                    .forEach(p -> cp.add(p.toString()));
            Path naiveLib = target.resolve("naive-lib");
            if (!Files.isDirectory(naiveLib)) {
                throw new IllegalStateException("no " + naiveLib + ": build with mvn -f benchmarks/pom.xml -Pnaive package");
            }
            var already = lib.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            try (Stream<Path> jars = Files.list(naiveLib)) {
                jars.filter(p -> p.toString().endsWith(".jar") && !already.contains(p.getFileName().toString()))
                        .sorted().forEach(p -> cp.add(p.toString()));
            }
        } else {
            if (!unpacked.getFileName().toString().endsWith("-jarred")) {
                cp.add(unpacked.toString());
            }
            lib.forEach(p -> cp.add(p.toString()));
        }
        cp.add(single(target, "-launcher.jar").toString());
        return cp;
    }

    /** A copy of the unpacked zip whose root classes are in lib/function-classes.jar (the layout AppCDS needs). */
    private static Path jarred(Path unpacked) throws IOException {
        Path copy = unpacked.resolveSibling(unpacked.getFileName() + "-jarred");
        if (Files.exists(copy)) {
            return copy;
        }
        Files.createDirectories(copy.resolve("lib"));
        try (Stream<Path> jars = Files.list(unpacked.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, copy.resolve("lib").resolve(jar.getFileName()));
            }
        }
        Path jar = copy.resolve("lib/0-function-classes.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(unpacked)) {
            for (Path file : walk.filter(Files::isRegularFile).filter(f -> !unpacked.relativize(f).startsWith("lib")).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(unpacked.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return copy;
    }

    /** The naive deployment package: the function zip plus every jar the naive classpath adds (jars are already compressed). */
    private static long naiveSize(Path zip, List<String> classpath) throws IOException {
        long size = Files.size(zip);
        for (String entry : classpath) {
            if (entry.contains("naive-lib")) {
                size += Files.size(Path.of(entry));
            }
        }
        return size;
    }

    private static Path single(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no *" + suffix + " in " + dir + ": build benchmarks first"));
        }
    }

    private Sample launch(Functions.Spec spec, String variant, List<String> classpath, Path event, String jvmOptions, String logName)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(MEMORY);
        if (!jvmOptions.isBlank()) {
            command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add("io.amirollout.benchmarks.launcher.ColdStartLauncher");
        command.add(spec.handler());
        command.add(event.toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(spec.environment());
        if (variant.equals("snapstart")) {
            builder.environment().put("BENCHMARK_SIMULATE_SNAPSTART", "true");
        }
        builder.redirectError(work.resolve(logName + ".stderr.log").toFile());

        long start = System.nanoTime();
        Process process = builder.start();
        String resultLine = null;
        long resultAt = 0;
        long classes = -1;
        StringBuilder stdout = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("@@RESULT ") && resultLine == null) {
                    resultAt = System.nanoTime();
                    resultLine = line;
                } else if (line.startsWith("@@CLASSES ")) {
                    classes = Long.parseLong(line.substring("@@CLASSES ".length()).trim());
                } else if (stdout.length() < 20_000) {
                    stdout.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Files.writeString(work.resolve(logName + ".stdout.log"), stdout, StandardCharsets.UTF_8);
        if (resultLine == null) {
            throw new IllegalStateException(logName + ": no result (exit " + process.exitValue() + "); see "
                    + work.resolve(logName + ".stderr.log") + "\n" + abbreviate(stdout.toString(), 2000)
                    + abbreviate(Files.readString(work.resolve(logName + ".stderr.log")), 4000));
        }
        return Sample.parse(resultLine, (resultAt - start) / 1_000_000.0, classes);
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }

    private static Path unpack(Path zip, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> walk = Files.walk(into)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(into);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(entries, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return into;
    }

    /** One cold start. */
    record Sample(double wallMs, long constructMs, long primeMs, long invokeMs, long cpuMs, long peakRssKb, long classes,
                  String result) {
        static Sample parse(String line, double wallMs, long classes) {
            Map<String, String> fields = new LinkedHashMap<>();
            String rest = line.substring("@@RESULT ".length());
            for (String key : List.of("constructMs", "primeMs", "invokeMs", "cpuMs", "vmHwmKb")) {
                int at = rest.indexOf(key + "=");
                int end = rest.indexOf(' ', at);
                fields.put(key, rest.substring(at + key.length() + 1, end));
            }
            String result = rest.substring(rest.indexOf("result=") + "result=".length());
            return new Sample(wallMs, Long.parseLong(fields.get("constructMs")), Long.parseLong(fields.get("primeMs")),
                    Long.parseLong(fields.get("invokeMs")), Long.parseLong(fields.get("cpuMs")),
                    Long.parseLong(fields.get("vmHwmKb")), classes, result);
        }
    }

    /** The figures of one function x build x JVM option set. */
    record Row(String function, String variant, String jvm, int runs, double median, double min, double max,
               double q1, double q3, double constructMedian, double primeMedian, double invokeMedian, double cpuMedian,
               double rssMbMedian, double classesMedian, double zipMb) {

        static Row of(String function, String variant, String jvm, List<Sample> samples, long zipBytes) {
            double[] wall = samples.stream().mapToDouble(Sample::wallMs).sorted().toArray();
            return new Row(function, variant, jvm, wall.length, quantile(wall, 0.5), wall[0], wall[wall.length - 1],
                    quantile(wall, 0.25), quantile(wall, 0.75),
                    quantile(samples.stream().mapToDouble(Sample::constructMs).sorted().toArray(), 0.5),
                    quantile(samples.stream().mapToDouble(Sample::primeMs).sorted().toArray(), 0.5),
                    quantile(samples.stream().mapToDouble(Sample::invokeMs).sorted().toArray(), 0.5),
                    quantile(samples.stream().mapToDouble(Sample::cpuMs).sorted().toArray(), 0.5),
                    quantile(samples.stream().mapToDouble(s -> s.peakRssKb() / 1024.0).sorted().toArray(), 0.5),
                    quantile(samples.stream().mapToDouble(Sample::classes).sorted().toArray(), 0.5),
                    zipBytes / 1e6);
        }

        static double quantile(double[] sorted, double q) {
            double position = q * (sorted.length - 1);
            int low = (int) Math.floor(position);
            int high = (int) Math.ceil(position);
            return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
        }

        /**
         * Every build against the naive one (x naive: below 1 is better; issue 7's target is 0.5 for the time to
         * first result). For snapstart rows, "restored x naive" is the first invocation after a restore against
         * the naive cold start, and "restore budget" how long Lambda's restore may take (not measurable here)
         * for restore + that invocation to stay within 0.5 x naive.
         */
        static String table(List<Row> rows, List<String> variants) {
            StringBuilder out = new StringBuilder();
            out.append("| function | build | JVM options | runs | first result median ms | min | max | IQR | "
                    + "construct ms | prime ms | invoke ms | CPU ms | peak RSS MB | classes | zip MB | time x naive | CPU x naive | "
                    + "RSS x naive | zip x naive | restored x naive | restore budget ms |\n");
            out.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (Row row : rows) {
                Row naive = rows.stream().filter(r -> r.function.equals(row.function) && r.jvm.equals(row.jvm)
                        && r.variant.equals("naive")).findFirst().orElse(null);
                boolean ratio = naive != null && !row.variant.equals("naive");
                boolean restored = ratio && row.variant.equals("snapstart");
                out.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %s | %s | %s | %s | %s | %s |%n",
                        row.function, row.variant, row.jvm, row.runs, row.median, row.min, row.max, row.q3 - row.q1,
                        row.constructMedian, row.primeMedian, row.invokeMedian, row.cpuMedian, row.rssMbMedian, row.classesMedian, row.zipMb,
                        ratio ? String.format(Locale.ROOT, "%.2f", row.median / naive.median) : "",
                        ratio ? String.format(Locale.ROOT, "%.2f", row.cpuMedian / naive.cpuMedian) : "",
                        ratio ? String.format(Locale.ROOT, "%.2f", row.rssMbMedian / naive.rssMbMedian) : "",
                        ratio ? String.format(Locale.ROOT, "%.2f", row.zipMb / naive.zipMb) : "",
                        restored ? String.format(Locale.ROOT, "%.2f", row.invokeMedian / naive.median) : "",
                        restored ? String.format(Locale.ROOT, "%.0f", 0.5 * naive.median - row.invokeMedian) : ""));
            }
            return out.toString();
        }
    }
}
