package io.amirollout.benchmarks.launcher;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;

/** The Lambda context of one benchmark invocation: a fixed request id, a 60 s budget, logs to stderr. */
final class BenchmarkContext implements Context {

    private final long deadline = System.currentTimeMillis() + 60_000;

    @Override public String getAwsRequestId() { return "00000000-0000-4000-8000-00000000bench"; }
    @Override public String getLogGroupName() { return "/aws/lambda/benchmark"; }
    @Override public String getLogStreamName() { return "benchmark"; }
    @Override public String getFunctionName() { return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "benchmark"); }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:444455556666:function:" + getFunctionName(); }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 512; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.err.println(message); }
            @Override public void log(byte[] message) { System.err.println(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
