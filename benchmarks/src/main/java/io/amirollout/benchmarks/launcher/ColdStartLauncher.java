package io.amirollout.benchmarks.launcher;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM whose classpath is a function's unpacked zip (classes, then lib/*.jar), as the
 * Lambda Java runtime would: constructs the handler with its public no-arg constructor (the production
 * path: reads the environment, builds real SDK clients), invokes it once with an event file, and prints
 * one machine-readable line the driver waits for:
 * <pre>@@RESULT constructMs=.. primeMs=.. invokeMs=.. cpuMs=.. vmHwmKb=.. result=&lt;handler output&gt;</pre>
 * With {@code BENCHMARK_SIMULATE_SNAPSTART=true} the SnapStart hooks run between construction and invocation.
 * The driver times the process from spawn to that line; the in-process figures are a breakdown.
 * Usage: ColdStartLauncher &lt;handler class&gt; &lt;event file&gt;
 */
public final class ColdStartLauncher {

    private ColdStartLauncher() {
    }

    public static void main(String[] args) throws Exception {
        long mainEntered = System.nanoTime();
        String handlerClass = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        PrintStream out = System.out;

        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(handlerClass)
                .getDeclaredConstructor().newInstance();
        long constructed = System.nanoTime();
        // SnapStart stand-in: run the checkpoint/restore hooks the function registered (Lambda runs them at
        // publish time, before the snapshot), then time the invocation as the first one after a restore.
        long constructMs = (constructed - mainEntered) / 1_000_000;
        long primeMs = 0;
        if ("true".equals(System.getenv("BENCHMARK_SIMULATE_SNAPSTART"))) {
            Class.forName("io.amirollout.shared.SnapStartPriming").getMethod("simulateCheckpointAndRestore").invoke(null);
            long primed = System.nanoTime();
            primeMs = (primed - constructed) / 1_000_000;
            constructed = primed;
        }

        ByteArrayOutputStream result = new ByteArrayOutputStream();
        String outcome;
        try (InputStream input = new java.io.ByteArrayInputStream(event)) {
            handler.handleRequest(input, result, new BenchmarkContext());
            outcome = result.toString(StandardCharsets.UTF_8).replace('\n', ' ');
        } catch (RuntimeException e) {
            // A thrown invocation is still a measured cold start (Lambda would report it as an error).
            outcome = "THREW " + e.getClass().getName() + ": " + e.getMessage();
        }
        long invoked = System.nanoTime();

        out.println("@@RESULT constructMs=" + constructMs
                + " primeMs=" + primeMs
                + " invokeMs=" + (invoked - constructed) / 1_000_000
                + " cpuMs=" + cpuMs()
                + " vmHwmKb=" + peakRssKb()
                + " result=" + outcome);
        out.flush();
        // After the timed line: how many classes the cold start loaded (the JMX bean itself loads a few dozen more).
        out.println("@@CLASSES " + java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        out.flush();
        System.exit(0);
    }

    /**
     * CPU time (user + system, every thread: JIT, GC, class loading) this process used so far, from
     * /proc/self/stat in clock ticks (USER_HZ is 100 on Linux). Unlike wall time it barely changes when
     * other processes compete for the cores, so it compares builds fairly on a busy machine.
     */
    private static long cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ": field 3 is state, so utime (field 14) is index 11 and stime index 12.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (Exception e) {
            return -1;
        }
    }

    /** VmHWM: the peak resident set size of this process so far, as the kernel counts it. */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
