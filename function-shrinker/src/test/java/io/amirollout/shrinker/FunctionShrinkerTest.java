package io.amirollout.shrinker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shrinker over a miniature function zip: a handler at the root, a jar it uses half of, a jar it never
 * touches. Real R8, real zips; the fixture classes are this module's own test classes.
 */
class FunctionShrinkerTest {

    private static final LocalDateTime BUILD_TIME = FunctionShrinker.entryTime("2026-11-22T00:00:00Z");
    private static final String HANDLER = "io/amirollout/shrinker/fixture/FixtureHandler.class";

    @TempDir
    static Path dir;
    private static Path fullZip;
    private static Path rules;
    private static Map<String, byte[]> shrunk;
    private static Map<String, byte[]> runtimeJar;
    private static FunctionShrinker.Result result;

    @BeforeAll
    static void shrinkTheFixture() throws Exception {
        Map<String, byte[]> dep = new TreeMap<>(Map.of(
                "fixturelib/Used.class", classBytes("fixturelib/Used.class"),
                "fixturelib/Unused.class", classBytes("fixturelib/Unused.class"),
                "fixturelib/used.properties", "resource=kept\n".getBytes(StandardCharsets.UTF_8),
                "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8),
                "META-INF/LICENSE.txt", "dep licence".getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> other = new TreeMap<>(Map.of(
                "otherlib/Never.class", classBytes("otherlib/Never.class"),
                "META-INF/LICENSE.txt", "other licence".getBytes(StandardCharsets.UTF_8),
                "META-INF/NOTICE", "other notice".getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> zip = new TreeMap<>(Map.of(
                HANDLER, classBytes(HANDLER),
                "handler-config.json", "{}".getBytes(StandardCharsets.UTF_8),
                "lib/dep-1.0.jar", ReproducibleZip.toBytes(dep, BUILD_TIME),
                "lib/other-2.0.jar", ReproducibleZip.toBytes(other, BUILD_TIME)));
        fullZip = dir.resolve("function-full.zip");
        ReproducibleZip.write(zip, BUILD_TIME, fullZip);
        rules = dir.resolve("rules.pro");
        Files.writeString(rules, String.join("\n", "-dontobfuscate", "-dontoptimize", "-keepattributes *",
                "-ignorewarnings", "-keep class io.amirollout.shrinker.fixture.** { *; }"));

        Path out = dir.resolve("function.zip");
        result = FunctionShrinker.shrink(fullZip, out, BUILD_TIME, List.of(rules));
        shrunk = FunctionZip.entries(Files.readAllBytes(out));
        runtimeJar = FunctionZip.entries(shrunk.get(FunctionShrinker.RUNTIME_JAR));
    }

    @Test
    void theFunctionsOwnEntriesStayAtTheRootByteForByte() throws IOException {
        assertArrayEquals(classBytes(HANDLER), shrunk.get(HANDLER));
        assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), shrunk.get("handler-config.json"));
        assertEquals(List.of("handler-config.json", HANDLER, FunctionShrinker.RUNTIME_JAR),
                List.copyOf(shrunk.keySet()), "root entries and exactly one runtime jar under lib/");
    }

    @Test
    void keepsWhatTheHandlerReachesAndDropsTheRest() {
        assertTrue(runtimeJar.containsKey("fixturelib/Used.class"));
        assertTrue(runtimeJar.containsKey("fixturelib/used.properties"), "resources travel with their jar");
        assertFalse(runtimeJar.containsKey("fixturelib/Unused.class"), "only an uncalled method referred to it");
        assertFalse(runtimeJar.containsKey("otherlib/Never.class"), "nothing refers to it");
        assertFalse(runtimeJar.containsKey(HANDLER), "our classes live at the root only");
        assertEquals(4, result.fullClasses());
        assertEquals(2, result.shrunkClasses());
    }

    @Test
    void everyJarKeepsItsOwnLicenceFilesAndTheSourceJarsAreNamed() {
        assertEquals("dep licence", text(runtimeJar.get("META-INF/licenses/dep-1.0/LICENSE.txt")));
        assertEquals("other licence", text(runtimeJar.get("META-INF/licenses/other-2.0/LICENSE.txt")));
        assertEquals("other notice", text(runtimeJar.get("META-INF/licenses/other-2.0/NOTICE")));
        assertFalse(runtimeJar.containsKey("META-INF/LICENSE.txt"), "no single licence claims to cover every jar");
        assertFalse(runtimeJar.containsKey("META-INF/MANIFEST.MF"), "the jars' manifests describe none of them any more");
        String provenance = text(runtimeJar.get("META-INF/shrunk-from.txt"));
        assertTrue(provenance.contains("dep-1.0.jar\n") && provenance.contains("other-2.0.jar\n"), provenance);
    }

    @Test
    void theSameInputGivesTheSameBytesInAnyTimeZone() throws Exception {
        Path again = dir.resolve("again.zip");
        TimeZone zone = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Auckland"));
            FunctionShrinker.shrink(fullZip, again, BUILD_TIME, List.of(rules));
        } finally {
            TimeZone.setDefault(zone);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("function.zip")), Files.readAllBytes(again));
    }

    @Test
    void failsTheBuildWhenTheZipIsOverTheLimit() {
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> FunctionShrinker.main(new String[] {
                fullZip.toString(), dir.resolve("too-big.zip").toString(), "2026-11-22T00:00:00Z", "100", rules.toString()}));
        assertTrue(failure.getMessage().contains("over the 100-byte limit"), failure.getMessage());
    }

    @Test
    void failsWhenAKeepRuleLetsOneOfTheFunctionsOwnClassesGo() throws IOException {
        Path noKeep = dir.resolve("no-keep.pro");
        Files.writeString(noKeep, "-dontobfuscate\n-dontoptimize\n-ignorewarnings\n-keep class fixturelib.Used { *; }\n");
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> FunctionShrinker.shrink(fullZip, dir.resolve("lost.zip"), BUILD_TIME, List.of(noKeep)));
        assertTrue(failure.getMessage().contains("R8 dropped " + HANDLER), failure.getMessage());
    }

    private static byte[] classBytes(String resource) throws IOException {
        try (InputStream in = FunctionShrinkerTest.class.getClassLoader().getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
