package io.amirollout.shared.testing;

import org.mockito.Mockito;
import org.mockito.invocation.Invocation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks a function's AWS calls against its {@code iam-actions.txt} (one IAM action per line,
 * {@code #} comments allowed), the list template.yaml's policy is checked against. Feed it the
 * Mockito mocks of the SDK clients after a test has exercised the code:
 * <pre>IamActions.assertListed("iam-actions.txt", Map.of("ec2", ec2Mock, "autoscaling", asgMock));</pre>
 * SDK method names map to actions by capitalising the first letter (describeImages →
 * ec2:DescribeImages); paginator and waiter helpers are skipped because they call the listed
 * operations themselves.
 */
public final class IamActions {

    private static final Set<String> NOT_OPERATIONS = Set.of("serviceName", "close", "waiter",
            "serviceClientConfiguration", "utilities", "toString", "hashCode", "equals");

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
    public static Set<String> called(java.util.Map<String, Object> mocksByPrefix) {
        Set<String> actions = new TreeSet<>();
        mocksByPrefix.forEach((prefix, mock) -> {
            for (Invocation invocation : Mockito.mockingDetails(mock).getInvocations()) {
                String method = invocation.getMethod().getName();
                if (NOT_OPERATIONS.contains(method) || method.endsWith("Paginator")) {
                    continue;
                }
                actions.add(prefix + ":" + method.substring(0, 1).toUpperCase(Locale.ROOT) + method.substring(1));
            }
        });
        return actions;
    }

    /** Fails when the code called an action its iam-actions.txt does not list. */
    public static void assertListed(String file, java.util.Map<String, Object> mocksByPrefix) {
        Set<String> listed = listed(file);
        Set<String> missing = new TreeSet<>(called(mocksByPrefix));
        missing.removeAll(listed);
        if (!missing.isEmpty()) {
            throw new AssertionError("called but not in " + file + ": " + missing + " (listed: " + listed + ")");
        }
    }
}
