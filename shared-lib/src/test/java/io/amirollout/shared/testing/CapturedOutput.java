package io.amirollout.shared.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures everything written to System.out and System.err (where {@code Log} writes) while open.
 * <pre>try (CapturedOutput out = CapturedOutput.start()) { ...; assertFalse(out.text().contains(secret)); }</pre>
 */
public final class CapturedOutput implements AutoCloseable {

    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private CapturedOutput() {
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
    }

    public static CapturedOutput start() {
        return new CapturedOutput();
    }

    public String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    public List<String> lines() {
        return text().lines().toList();
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        originalOut.print(text());
    }
}
