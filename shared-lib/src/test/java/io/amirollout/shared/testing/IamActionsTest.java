package io.amirollout.shared.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

class IamActionsTest {

    /** Shaped like an SDK client: methods named after the API operations. */
    interface FakeLambda {
        Object invoke(String request);

        Object getFunction(String request);

        Object listFunctionsPaginator(String request);

        String serviceName();
    }

    @Test
    void methodNamesBecomeActionsAndLambdaInvokeIsInvokeFunction() {
        FakeLambda eu = mock(FakeLambda.class);
        FakeLambda us = mock(FakeLambda.class);
        eu.invoke("x");
        eu.serviceName();
        eu.listFunctionsPaginator("x");
        us.getFunction("x");

        assertEquals(Set.of("lambda:InvokeFunction", "lambda:GetFunction"),
                IamActions.called(Map.of("lambda", List.of(eu, us))));
    }

    @Test
    void anActionMissingFromTheListFails(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("iam-actions.txt"), "# comment\nlambda:InvokeFunction\n");
        FakeLambda lambda = mock(FakeLambda.class);
        lambda.invoke("x");
        IamActions.assertListed(file.toString(), Map.of("lambda", lambda));

        lambda.getFunction("x");
        AssertionError e = assertThrows(AssertionError.class,
                () -> IamActions.assertListed(file.toString(), Map.of("lambda", lambda)));
        assertTrue(e.getMessage().contains("lambda:GetFunction"), e.getMessage());
    }
}
