package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.amirollout.templatecheck.IamStatements.allows;
import static io.amirollout.templatecheck.IamStatements.condition;
import static io.amirollout.templatecheck.IamStatements.grants;
import static io.amirollout.templatecheck.IamStatements.hasWildcard;
import static io.amirollout.templatecheck.IamStatements.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 2: no role of the stack can turn its grants into another role's permissions. Whoever
 * controls a role that may write any launch template, pass any role and launch from any template gets any
 * role in the account. So, for every function role and every IAM role, under every deployment below:
 * <ul>
 *   <li>iam:PassRole only on roles named in PassableInstanceRoleNames (no wildcard), only to EC2;</li>
 *   <li>launch-template writes only on launch templates tagged ami-rollout:enabled=true;</li>
 *   <li>ec2:RunInstances only from this account's launch templates, and never from one not opted in.</li>
 * </ul>
 */
class PrivilegeEscalationTest {

    static final String OPT_IN = "ami-rollout:enabled";
    static final List<String> LAUNCH_TEMPLATE_WRITES = List.of("ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
            "ec2:CreateLaunchTemplate", "ec2:DeleteLaunchTemplate", "ec2:DeleteLaunchTemplateVersions");
    static final String ACCOUNT_TEMPLATES = "arn:aws:ec2:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":launch-template/*";

    /** Deployments to check: the drift scenarios plus instance-profile role lists. */
    static final Map<String, Map<String, String>> DEPLOYMENTS = new LinkedHashMap<>(EnvironmentDriftTest.SCENARIOS);

    static {
        DEPLOYMENTS.put("workload, no instance-profile roles named", Map.of("StackRole", "workload",
                "OrganizationId", "o-abcdef1234", "InfraAccountId", "999988887777"));
        DEPLOYMENTS.put("workload, one role", Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
                "InfraAccountId", "999988887777", "PassableInstanceRoleNames", "web-instance"));
        DEPLOYMENTS.put("both, five roles with a path", Map.of("StackRole", "both", "OrganizationId", "o-abcdef1234",
                "PayloadWriterArns", "arn:aws:iam::111122223333:role/uploader",
                "PassableInstanceRoleNames", "web,api,workers/batch,cron,ops.admin@x",
                "TargetAutoScalingGroups", "web-asg"));
    }

    private final Template template = Template.load();

    /** Every escalation path in one role's statements; empty = none. */
    static List<String> problems(String role, List<Map<String, Object>> statements, Set<String> namedRoles) {
        List<String> problems = new ArrayList<>();
        boolean denyNotOptedIn = statements.stream().anyMatch(s -> "Deny".equals(s.get("Effect"))
                && grants(s, "ec2:RunInstances")
                && strings(s.get("Resource")).stream().allMatch(r -> r.contains(":launch-template/"))
                && List.of("true").equals(strings(condition(s, "StringNotEquals", "aws:ResourceTag/" + OPT_IN))));
        for (Map<String, Object> statement : statements) {
            if (!allows(statement)) {
                continue;
            }
            String sid = role + "/" + statement.get("Sid");
            if (grants(statement, "iam:PassRole")) {
                for (String resource : strings(statement.get("Resource"))) {
                    String prefix = "arn:aws:iam::" + Resolver.ACCOUNT + ":role/";
                    String name = resource.startsWith(prefix) ? resource.substring(prefix.length()) : null;
                    if (name == null || hasWildcard(name) || !namedRoles.contains(name)) {
                        problems.add(sid + " may pass a role not named in PassableInstanceRoleNames: " + resource);
                    }
                }
                if (!List.of("ec2.amazonaws.com").equals(strings(condition(statement, "StringEquals", "iam:PassedToService")))) {
                    problems.add(sid + " may pass roles to services other than EC2: " + statement.get("Condition"));
                }
            }
            for (String write : LAUNCH_TEMPLATE_WRITES) {
                if (grants(statement, write)) {
                    Object tag = condition(statement, "StringEquals", "aws:ResourceTag/" + OPT_IN);
                    Object ec2Tag = condition(statement, "StringEquals", "ec2:ResourceTag/" + OPT_IN);
                    if (!List.of("true").equals(strings(tag)) && !List.of("true").equals(strings(ec2Tag))) {
                        problems.add(sid + " may " + write + " on launch templates not tagged " + OPT_IN + "=true");
                    }
                }
            }
            if (grants(statement, "ec2:RunInstances")) {
                if (!List.of(ACCOUNT_TEMPLATES).equals(strings(condition(statement, "ArnLike", "ec2:LaunchTemplate")))) {
                    problems.add(sid + " may launch instances without one of this account's launch templates");
                }
                if (!denyNotOptedIn) {
                    problems.add(sid + " may launch from launch templates not tagged " + OPT_IN
                            + "=true (no Deny on launch-template/* with StringNotEquals aws:ResourceTag/" + OPT_IN + ")");
                }
            }
        }
        return problems;
    }

    /** Statements of every role of the stack as deployed: function name or role id -> statements. */
    private Map<String, List<Map<String, Object>>> roles(Resolver resolver) {
        Map<String, List<Map<String, Object>>> roles = new LinkedHashMap<>();
        for (String functionId : template.functionIds()) {
            if (resolver.exists(functionId) && !template.properties(functionId).containsKey("Role")) {
                roles.put(functionId, IamStatements.resolved(resolver, template.properties(functionId)));
            }
        }
        template.resources().forEach((id, resource) -> {
            if ("AWS::IAM::Role".equals(Template.map(resource).get("Type")) && resolver.exists(id)) {
                roles.put(id, IamStatements.resolved(resolver, template.properties(id)));
            }
        });
        return roles;
    }

    @Test
    void noRoleCanPassAnUnnamedRoleOrWriteOrLaunchATemplateNotOptedIn() {
        for (var deployment : DEPLOYMENTS.entrySet()) {
            Resolver resolver = new Resolver(template, deployment.getValue());
            String names = deployment.getValue().getOrDefault("PassableInstanceRoleNames", "");
            Set<String> named = names.isEmpty() ? Set.of() : Set.of(names.split(","));
            List<String> problems = new ArrayList<>();
            roles(resolver).forEach((role, statements) -> problems.addAll(problems(role, statements, named)));
            assertEquals(List.of(), problems, deployment.getKey());
        }
    }

    @Test
    void passRoleIsGrantedForExactlyTheNamedRoles() {
        Resolver resolver = new Resolver(template, DEPLOYMENTS.get("both, five roles with a path"));
        for (String functionId : List.of("InstanceRefreshFunction", "RollbackOnAlarmFunction")) {
            List<String> passable = new ArrayList<>();
            IamStatements.resolved(resolver, template.properties(functionId)).stream()
                    .filter(s -> allows(s) && grants(s, "iam:PassRole"))
                    .forEach(s -> passable.addAll(strings(s.get("Resource"))));
            String prefix = "arn:aws:iam::" + Resolver.ACCOUNT + ":role/";
            assertEquals(List.of(prefix + "web", prefix + "api", prefix + "workers/batch", prefix + "cron", prefix + "ops.admin@x"),
                    passable, functionId);
        }
        Resolver none = new Resolver(template, DEPLOYMENTS.get("workload, no instance-profile roles named"));
        for (String functionId : template.functionIds()) {
            if (none.exists(functionId)) {
                assertTrue(IamStatements.resolved(none, template.properties(functionId)).stream()
                        .noneMatch(s -> allows(s) && grants(s, "iam:PassRole")), functionId + ": no role named, no iam:PassRole");
            }
        }
    }

    @Test
    void theRoleNamesParameterAdmitsNoWildcardAndDefaultsToNone() {
        Map<String, Object> parameter = Template.map(template.section("Parameters").get("PassableInstanceRoleNames"));
        assertEquals("", parameter.get("Default"));
        Pattern allowed = Pattern.compile(String.valueOf(parameter.get("AllowedPattern")));
        for (String bad : List.of("*", "web-*", "web,*", "web?", "a b", "a,b,c,d,e,f")) {
            assertFalse(allowed.matcher(bad).matches(), "PassableInstanceRoleNames must refuse " + bad);
        }
        for (String good : List.of("", "web-instance", "web,api", "workers/batch-instance", "a,b,c,d,e")) {
            assertTrue(allowed.matcher(good).matches(), "PassableInstanceRoleNames must accept " + good);
        }
    }

    @Test
    void theCheckFindsEachEscalationPath() {
        Map<String, Object> passAny = Map.of("Sid", "PassAny", "Effect", "Allow", "Action", "iam:PassRole",
                "Resource", "arn:aws:iam::" + Resolver.ACCOUNT + ":role/*",
                "Condition", Map.of("StringEquals", Map.of("iam:PassedToService", "ec2.amazonaws.com")));
        Map<String, Object> passToAnyService = Map.of("Sid", "PassToLambda", "Effect", "Allow", "Action", "iam:*",
                "Resource", "arn:aws:iam::" + Resolver.ACCOUNT + ":role/web");
        Map<String, Object> writeAnyTemplate = Map.of("Sid", "Write", "Effect", "Allow", "Action", "ec2:CreateLaunchTemplate*",
                "Resource", ACCOUNT_TEMPLATES);
        Map<String, Object> launchAnything = Map.of("Sid", "Launch", "Effect", "Allow", "Action", "ec2:RunInstances",
                "Resource", "*");
        List<String> problems = problems("r", List.of(passAny, passToAnyService, writeAnyTemplate, launchAnything), Set.of("web"));
        assertEquals(List.of(
                "r/PassAny may pass a role not named in PassableInstanceRoleNames: arn:aws:iam::111122223333:role/*",
                "r/PassToLambda may pass roles to services other than EC2: null",
                "r/Write may ec2:CreateLaunchTemplateVersion on launch templates not tagged ami-rollout:enabled=true",
                "r/Write may ec2:CreateLaunchTemplate on launch templates not tagged ami-rollout:enabled=true",
                "r/Launch may launch instances without one of this account's launch templates",
                "r/Launch may launch from launch templates not tagged ami-rollout:enabled=true (no Deny on "
                        + "launch-template/* with StringNotEquals aws:ResourceTag/ami-rollout:enabled)"),
                problems);
    }
}
