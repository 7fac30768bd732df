package io.amirollout.zipcheck;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child-JVM side of the check. Runs on a classpath of one unpacked function zip (its root, then
 * {@code lib/*.jar}) followed by this module's test classes, as the Lambda Java runtime loads a zip, so it
 * uses ONLY the JDK and the Lambda core API the zip itself carries (no Jackson, no WireMock, no JUnit).
 *
 * <p>It constructs the handler with its public no-argument constructor (the production path: reads the
 * environment, builds the real SDK clients), runs the SnapStart hooks the way Lambda does before the
 * snapshot, then invokes the handler once per event file, in the order given. Before each phase it sends
 * {@code GET /__zip-check/<phase>} to the local endpoint, so the parent can tell which AWS calls each
 * phase made. Machine-readable lines on stdout (the function's own log lines are interleaved):
 * <pre>
 * @@PRIMING OK | THREW &lt;type&gt;: &lt;message&gt;
 * @@RESULT &lt;file&gt; OK &lt;handler output on one line&gt; | THREW &lt;type&gt;: &lt;message&gt;
 * @@DONE
 * </pre>
 * Usage: ZipLauncher &lt;handler class&gt; &lt;endpoint&gt; &lt;event file&gt;...
 */
public final class ZipLauncher {

    private ZipLauncher() {
    }

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        String endpoint = args[1];
        // Our own stream, not System.out: the function may replace System.out (SnapStartPriming does while
        // priming), and results are written in UTF-8 whatever the platform encoding, so no character is lost.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

        mark(endpoint, "construct");
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(handlerClass)
                .getDeclaredConstructor().newInstance();

        mark(endpoint, "priming");
        out.println("@@PRIMING " + prime());
        out.flush();

        for (int i = 2; i < args.length; i++) {
            Path event = Path.of(args[i]);
            String file = event.getFileName().toString();
            mark(endpoint, "sample/" + file);
            out.println("@@RESULT " + file + " " + invoke(handler, Files.readAllBytes(event), i - 1));
            out.flush();
        }
        mark(endpoint, "done");
        out.println("@@DONE");
        out.flush();
        // The SDK's HTTP client and a fan-out pool may hold non-daemon threads; Lambda freezes them, we end them.
        System.exit(0);
    }

    /** SnapStart stand-in: the checkpoint and restore hooks the function registered, as Lambda runs them. */
    private static String prime() {
        try {
            Class.forName("io.amirollout.shared.SnapStartPriming")
                    .getMethod("simulateCheckpointAndRestore").invoke(null);
            return "OK";
        } catch (InvocationTargetException e) {
            return threw(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return threw(e);
        }
    }

    private static String invoke(RequestStreamHandler handler, byte[] event, int sequence) {
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        try (InputStream input = new ByteArrayInputStream(event)) {
            handler.handleRequest(input, result, new LauncherContext("zip-check-" + sequence));
            return "OK " + oneLine(result.toString(StandardCharsets.UTF_8));
        } catch (Throwable e) {
            // A thrown invocation is an answer too (Lambda reports it as a function error): compare it.
            return threw(e);
        }
    }

    private static String threw(Throwable e) {
        // The stack trace goes to stderr, where the parent looks for linkage errors a shrinker can cause.
        e.printStackTrace();
        return "THREW " + e.getClass().getName() + ": " + oneLine(String.valueOf(e.getMessage()));
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n").strip();
    }

    /** Tells the local endpoint which phase the following requests belong to. */
    private static void mark(String endpoint, String phase) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint + "/__zip-check/"
                + URLEncoder.encode(phase, StandardCharsets.UTF_8)).toURL().openConnection();
        try {
            if (connection.getResponseCode() != 200) {
                throw new IOException("marker " + phase + " answered " + connection.getResponseCode());
            }
            connection.getInputStream().readAllBytes();
        } finally {
            connection.disconnect();
        }
    }

    /** The Lambda context: fixed ids so results need no normalising for them. */
    private record LauncherContext(String requestId) implements Context {

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + getFunctionName(); }
        @Override public String getLogStreamName() { return "2026/11/22/[$LATEST]zipcheck"; }
        @Override public String getFunctionName() { return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "zip-check"); }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:444455556666:function:" + getFunctionName(); }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        // Generous and constant: a deadline computed from it must not differ between the two runs.
        @Override public int getRemainingTimeInMillis() { return 300_000; }
        @Override public int getMemoryLimitInMB() { return 512; }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.println(message); }
                @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
