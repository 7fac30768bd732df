package io.amirollout.shared.testing;

import org.mockito.Mockito;
import org.mockito.invocation.Invocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a function's AWS calls against its {@code iam-actions.txt} (one IAM action per line,
 * {@code #} comments allowed), the list template.yaml's policy is checked against. Feed it the
 * Mockito mocks of the SDK clients after a test has exercised the code:
 * <pre>IamActions.assertListed("iam-actions.txt", Map.of("ec2", ec2Mock, "autoscaling", asgMock));</pre>
 * SDK method names map to actions by capitalising the first letter (describeImages →
 * ec2:DescribeImages), except the few operations whose IAM action has another name
 * ({@link #RENAMED}); paginator and waiter helpers are skipped because they call the listed
 * operations themselves. A map value may be one mock or a collection of mocks (one client per
 * region or account).
 */
public final class IamActions {

    private static final Set<String> NOT_OPERATIONS = Set.of("serviceName", "close", "waiter",
            "serviceClientConfiguration", "utilities", "toString", "hashCode", "equals");

    /**
     * SDK operations whose IAM action is not the capitalised method name. The SDK names methods
     * after the API operation, but Lambda authorises Invoke and InvokeWithResponseStream as
     * lambda:InvokeFunction (the API reference says so for each); capitalising alone would demand a
     * "lambda:Invoke" that IAM does not know.
     */
    static final Map<String, String> RENAMED = Map.of(
            "lambda:Invoke", "lambda:InvokeFunction",
            "lambda:InvokeWithResponseStream", "lambda:InvokeFunction");

    private IamActions() {
    }

    /** The actions listed in the file. */
    public static Set<String> listed(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .map(l -> l.replaceAll("#.*", "").trim())
                    .filter(l -> !l.isEmpty())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IAM actions the code called on each mock, keyed by IAM service prefix. */
    public static Set<String> called(Map<String, ?> mocksByPrefix) {
        Set<String> actions = new TreeSet<>();
        mocksByPrefix.forEach((prefix, mocks) -> {
            for (Object mock : mocks instanceof Collection<?> many ? many : List.of(mocks)) {
                for (Invocation invocation : Mockito.mockingDetails(mock).getInvocations()) {
                    String method = invocation.getMethod().getName();
                    if (NOT_OPERATIONS.contains(method) || method.endsWith("Paginator")) {
                        continue;
                    }
                    String action = prefix + ":" + method.substring(0, 1).toUpperCase(Locale.ROOT) + method.substring(1);
                    actions.add(RENAMED.getOrDefault(action, action));
                }
            }
        });
        return actions;
    }

    /** Fails when the code called an action its iam-actions.txt does not list. */
    public static void assertListed(String file, Map<String, ?> mocksByPrefix) {
        Set<String> listed = listed(file);
        Set<String> missing = new TreeSet<>(called(mocksByPrefix));
        missing.removeAll(listed);
        if (!missing.isEmpty()) {
            throw new AssertionError("called but not in " + file + ": " + missing + " (listed: " + listed + ")");
        }
    }
}
