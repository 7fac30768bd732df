package io.amirollout.shrinker;

import com.android.tools.r8.ClassFileConsumer;
import com.android.tools.r8.CompilationFailedException;
import com.android.tools.r8.CompilationMode;
import com.android.tools.r8.Diagnostic;
import com.android.tools.r8.DiagnosticsHandler;
import com.android.tools.r8.JdkClassFileProvider;
import com.android.tools.r8.R8;
import com.android.tools.r8.R8Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a function's unshrunk {@code function-full.zip} into the deployed {@code function.zip}.
 *
 * <p>Why: the AWS SDK service jars hold every operation of their service (EC2's alone is 24 MB), a function
 * calls a handful. R8 traces what the function's code can reach from its handler (plus the keep rules for
 * what is loaded by name or bound by reflection, {@code build-support/shrink-rules.pro}) and drops the rest.
 * Shrink only: no optimisation, no renaming, so stack traces and reflection see the original names.
 *
 * <p>Layout of the result (still the Lambda Java layout): the root entries of the full zip, byte-for-byte
 * (our classes are never rewritten); {@code lib/runtime-shrunk.jar} with every third-party class R8 kept,
 * the jars' resources and merged {@code META-INF/services}, each jar's licence and notice files under
 * {@code META-INF/licenses/<jar>/}, and {@code META-INF/shrunk-from.txt} naming the jars it came from.
 * The build fails when the result is over the size limit or lost one of our own classes.
 *
 * <p>Usage: {@code FunctionShrinker <function-full.zip> <function.zip> <outputTimestamp> <maxBytes> <rules.pro>...}
 */
public final class FunctionShrinker {

    static final String RUNTIME_JAR = "lib/runtime-shrunk.jar";
    /**
     * Licence texts must travel with the code they cover; every jar has its own, under the same names
     * (also prefixed ones such as Jackson's {@code META-INF/FastDoubleParser-LICENSE}, which clashed silently before).
     */
    private static final Pattern LICENSE_FILE = Pattern.compile("META-INF/(?:[^/]*/)?(?![^/]*\\.class$)[^/]*(?:LICENSE|NOTICE|COPYRIGHT)[^/]*",
            Pattern.CASE_INSENSITIVE);

    /**
     * R8's info lines (its version, and "rule does not match anything" for the shared rules a function has no
     * classes for, e.g. STS outside cross-account-invoker) would bury the build log; warnings and errors pass.
     */
    private static final DiagnosticsHandler WARNINGS_AND_ERRORS = new DiagnosticsHandler() {
        @Override
        public void info(Diagnostic info) {
        }
    };

    private FunctionShrinker() {
    }

    /** What one shrink run did, for the build log. */
    record Result(long fullBytes, long fullClasses, long shrunkBytes, long shrunkClasses, long millis) {

        String describe(String zipName) {
            return String.format(Locale.ROOT, "%s: %.1f MB, %,d classes -> %.1f MB, %,d classes (R8 tree shaking, %.0f s)",
                    zipName, fullBytes / 1e6, fullClasses, shrunkBytes / 1e6, shrunkClasses, millis / 1e3);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException(
                    "usage: FunctionShrinker <function-full.zip> <function.zip> <outputTimestamp> <maxBytes> <rules.pro>...");
        }
        List<Path> rules = Stream.of(args).skip(4).map(Path::of).toList();
        Path out = Path.of(args[1]);
        Result result = shrink(Path.of(args[0]), out, entryTime(args[2]), rules);
        System.out.println("[function-shrinker] " + result.describe(out.toString()));
        long maxBytes = Long.parseLong(args[3]);
        if (result.shrunkBytes() > maxBytes) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s is %,d bytes, over the %,d-byte limit (function.zip.maxBytes): a new dependency, or a keep rule "
                            + "that keeps too much? Compare META-INF/shrunk-from.txt and the class counts with the last build.",
                    out, result.shrunkBytes(), maxBytes));
        }
    }

    static Result shrink(Path fullZip, Path outZip, LocalDateTime entryTime, List<Path> rules)
            throws IOException, CompilationFailedException {
        long started = System.nanoTime();
        FunctionZip full = FunctionZip.read(fullZip);
        Path work = Files.createTempDirectory(outZip.toAbsolutePath().getParent(), "shrink-");
        try {
            Map<String, byte[]> kept = runR8(full, work, rules);
            Map<String, byte[]> runtime = runtimeJar(full, kept);

            Map<String, byte[]> zip = new TreeMap<>(full.root());
            zip.put(RUNTIME_JAR, ReproducibleZip.toBytes(runtime, entryTime));
            ReproducibleZip.write(zip, entryTime, outZip);

            return new Result(Files.size(fullZip), full.classCount(), Files.size(outZip),
                    FunctionZip.classCount(full.root()) + FunctionZip.classCount(runtime),
                    (System.nanoTime() - started) / 1_000_000);
        } finally {
            deleteRecursively(work);
        }
    }

    /** R8 over our classes and every runtime jar; returns what it kept (classes and resources), name to bytes. */
    private static Map<String, byte[]> runR8(FunctionZip full, Path work, List<Path> rules)
            throws IOException, CompilationFailedException {
        List<Path> program = new ArrayList<>();
        Path own = work.resolve("function-classes.jar");
        Files.write(own, ReproducibleZip.toBytes(full.root(), LocalDateTime.of(2000, 1, 1, 0, 0)));
        program.add(own);
        for (Map.Entry<String, Map<String, byte[]>> lib : full.libs().entrySet()) {
            Map<String, byte[]> entries = new TreeMap<>(lib.getValue());
            // Every jar has its own manifest and licence files under the same names: R8 would keep one of each
            // (with a warning per clash). Licences are copied per jar by runtimeJar; manifests and the
            // Java 9+ variants of multi-release jars do not apply to the merged jar, which is not multi-release.
            entries.keySet().removeIf(name -> name.equals("META-INF/MANIFEST.MF") || LICENSE_FILE.matcher(name).matches()
                    || name.startsWith("META-INF/versions/") || name.endsWith("module-info.class"));
            Path jar = work.resolve(lib.getKey());
            Files.write(jar, ReproducibleZip.toBytes(entries, LocalDateTime.of(2000, 1, 1, 0, 0)));
            program.add(jar);
        }
        Path output = work.resolve("r8-output.jar");
        R8.run(R8Command.builder(WARNINGS_AND_ERRORS)
                .addProgramFiles(program)
                // The JDK running the build is the library: only its java.* API is referenced, which the
                // Lambda runtime's JDK (21) provides too.
                .addLibraryResourceProvider(JdkClassFileProvider.fromSystemJdk())
                .addProguardConfigurationFiles(rules)
                // ProGuard-compatible keep semantics (a -keep keeps what ProGuard would), class files out, and
                // nothing rewritten for Android: no desugaring.
                .setProguardCompatibility(true)
                .setDisableDesugaring(true)
                .setMode(CompilationMode.RELEASE)
                .setProgramConsumer(new ClassFileConsumer.ArchiveConsumer(output, true))
                .build());
        Map<String, byte[]> kept = FunctionZip.entries(Files.readAllBytes(output));
        for (String name : full.root().keySet()) {
            if (name.endsWith(".class") && !kept.containsKey(name)) {
                throw new IllegalStateException("R8 dropped " + name + " from the function's own classes: "
                        + "the keep rules must keep every class of the function (io.amirollout.**)");
            }
        }
        return kept;
    }

    /**
     * Everything R8 kept that is not one of our root entries, plus each jar's licence files under its own
     * folder (they share names across jars, so they cannot all sit at META-INF/LICENSE.txt).
     */
    private static Map<String, byte[]> runtimeJar(FunctionZip full, Map<String, byte[]> kept) {
        Map<String, byte[]> runtime = new TreeMap<>();
        kept.forEach((name, bytes) -> {
            if (!full.root().containsKey(name)) {
                runtime.put(name, bytes);
            }
        });
        StringBuilder provenance = new StringBuilder(
                "# The jars this one was shrunk from (function-shrinker, R8 tree shaking; licences in META-INF/licenses/):\n");
        for (Map.Entry<String, Map<String, byte[]>> lib : full.libs().entrySet()) {
            String jarName = lib.getKey().substring(0, lib.getKey().length() - ".jar".length());
            provenance.append(lib.getKey()).append('\n');
            for (Map.Entry<String, byte[]> entry : lib.getValue().entrySet()) {
                if (LICENSE_FILE.matcher(entry.getKey()).matches()) {
                    String fileName = entry.getKey().substring(entry.getKey().lastIndexOf('/') + 1);
                    runtime.put("META-INF/licenses/" + jarName + "/" + fileName, entry.getValue());
                }
            }
        }
        runtime.put("META-INF/shrunk-from.txt", provenance.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return runtime;
    }

    /** {@code project.build.outputTimestamp} (ISO-8601, e.g. 2026-11-22T00:00:00Z) as the UTC date-time to stamp entries with. */
    static LocalDateTime entryTime(String outputTimestamp) {
        return OffsetDateTime.parse(outputTimestamp).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
