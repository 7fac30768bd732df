package io.amirollout.shared.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;

/** A Lambda {@link Context} for tests, with a settable remaining time. */
public final class FakeContext implements Context {

    private final String functionName;
    private long remainingMillis;

    public FakeContext() {
        this("test-function", 300_000);
    }

    public FakeContext(String functionName, long remainingMillis) {
        this.functionName = functionName;
        this.remainingMillis = remainingMillis;
    }

    public void remainingMillis(long value) {
        this.remainingMillis = value;
    }

    @Override public String getAwsRequestId() { return "11111111-2222-3333-4444-555555555555"; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + functionName; }
    @Override public String getLogStreamName() { return "2026/11/22/[$LATEST]test"; }
    @Override public String getFunctionName() { return functionName; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:444455556666:function:" + functionName; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.min(Integer.MAX_VALUE, remainingMillis); }
    @Override public int getMemoryLimitInMB() { return 512; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.println(message); }
            @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
