package io.amirollout.templatecheck;

import io.amirollout.shared.RolloutTags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.amirollout.templatecheck.IamStatements.allows;
import static io.amirollout.templatecheck.IamStatements.condition;
import static io.amirollout.templatecheck.IamStatements.grants;
import static io.amirollout.templatecheck.IamStatements.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 3: the functions write their state tags on a group and nothing else. A policy that
 * let them rewrite configuration tags (the image, the window, the alarms, the opt-in) would let a
 * function change what it is told to do. Every Auto Scaling tag write is limited by
 * {@code ForAllValues:StringEquals aws:TagKeys} to exactly the state keys, with {@code Null aws:TagKeys
 * false} (ForAllValues alone is true for a request without tag keys); EC2 tags only at launch.
 */
class StateTagsTest {

    /** RolloutTags' "State written by the functions". */
    static final Set<String> STATE = Set.of(RolloutTags.PENDING_VERSION, RolloutTags.PENDING_IMAGE,
            RolloutTags.PREVIOUS_VERSION, RolloutTags.CURRENT_VERSION, RolloutTags.LAUNCH_TEMPLATE_ID);
    /** RolloutTags' configuration, set by the team that owns the group. */
    static final Set<String> CONFIGURATION = Set.of(RolloutTags.ENABLED, RolloutTags.IMAGE, RolloutTags.UPDATE_DAY,
            RolloutTags.UPDATE_TIME, RolloutTags.WINDOW_MINUTES, RolloutTags.TIMEZONE, RolloutTags.MIN_HEALTHY_PERCENTAGE,
            RolloutTags.INSTANCE_WARMUP, RolloutTags.CHECKPOINTS, RolloutTags.CHECKPOINT_DELAY, RolloutTags.ALARMS);

    private final Template template = Template.load();

    static List<String> problems(String role, List<Map<String, Object>> statements) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> statement : statements) {
            if (!allows(statement)) {
                continue;
            }
            String sid = role + "/" + statement.get("Sid");
            if (grants(statement, "autoscaling:CreateOrUpdateTags") || grants(statement, "autoscaling:DeleteTags")) {
                Set<String> keys = new HashSet<>(strings(condition(statement, "ForAllValues:StringEquals", "aws:TagKeys")));
                if (!keys.equals(STATE)) {
                    problems.add(sid + " may write tag keys other than exactly the state keys: " + statement.get("Condition"));
                }
                if (!List.of("false").equals(strings(condition(statement, "Null", "aws:TagKeys")))) {
                    problems.add(sid + " does not require tag keys in the request (Null aws:TagKeys false)");
                }
            }
            if (grants(statement, "ec2:CreateTags") && strings(condition(statement, "StringEquals", "ec2:CreateAction")).isEmpty()) {
                problems.add(sid + " may tag existing EC2 resources (no ec2:CreateAction condition)");
            }
        }
        return problems;
    }

    @Test
    void everyTagWriteIsLimitedToTheStateKeys() {
        int tagWriters = 0;
        for (var deployment : PrivilegeEscalationTest.DEPLOYMENTS.entrySet()) {
            Resolver resolver = new Resolver(template, deployment.getValue());
            List<String> problems = new ArrayList<>();
            for (String functionId : template.functionIds()) {
                if (resolver.exists(functionId)) {
                    List<Map<String, Object>> statements = IamStatements.resolved(resolver, template.properties(functionId));
                    problems.addAll(problems(functionId, statements));
                    tagWriters += (int) statements.stream().filter(s -> grants(s, "autoscaling:CreateOrUpdateTags")).count();
                }
            }
            assertEquals(List.of(), problems, deployment.getKey());
        }
        assertTrue(tagWriters > 0, "instance-refresh writes state tags: the check must have seen its statement");
    }

    @Test
    void stateAndConfigurationKeysAreDisjoint() {
        Set<String> both = new HashSet<>(STATE);
        both.retainAll(CONFIGURATION);
        assertEquals(Set.of(), both);
    }

    @Test
    void theCheckRefusesConfigurationKeysAndPrefixes() {
        Map<String, Object> byPrefix = Map.of("Sid", "Prefix", "Effect", "Allow", "Action", List.of("autoscaling:CreateOrUpdateTags"),
                "Resource", "*", "Condition", Map.of("ForAllValues:StringLike", Map.of("aws:TagKeys", List.of("ami-rollout:*"))));
        List<String> withConfig = new ArrayList<>(STATE);
        withConfig.add(RolloutTags.IMAGE);
        Map<String, Object> withImage = Map.of("Sid", "Image", "Effect", "Allow", "Action", "autoscaling:*Tags",
                "Resource", "*", "Condition", Map.of("ForAllValues:StringEquals", Map.of("aws:TagKeys", withConfig),
                        "Null", Map.of("aws:TagKeys", "false")));
        Map<String, Object> anyEc2Tag = Map.of("Sid", "Ec2", "Effect", "Allow", "Action", "ec2:CreateTags", "Resource", "*");
        assertEquals(List.of(
                "r/Prefix may write tag keys other than exactly the state keys: {ForAllValues:StringLike={aws:TagKeys=[ami-rollout:*]}}",
                "r/Prefix does not require tag keys in the request (Null aws:TagKeys false)",
                "r/Image may write tag keys other than exactly the state keys: " + withImage.get("Condition"),
                "r/Ec2 may tag existing EC2 resources (no ec2:CreateAction condition)"),
                problems("r", List.of(byPrefix, withImage, anyEc2Tag)));
    }
}
