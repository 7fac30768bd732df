package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, items 5 and 6, as far as the template alone decides them: a StackSet across regions creates a
 * named (global) IAM role in one region only; the created payload bucket only takes writes from named
 * principals, over TLS, keeps every object version and logs access; a build subnet without security
 * groups is refused before anything is created. (scripts/test.sh runs the SAM transform, cfn-lint and
 * parliament for each documented parameter set.)
 */
class DeploymentGuardsTest {

    private static final Map<String, String> WORKLOAD = Map.of("StackRole", "workload", "OrganizationId", "o-abcdef1234",
            "InfraAccountId", "999988887777");

    private final Template template = Template.load();

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> values = new java.util.HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return values;
    }

    @Test
    void theInvokerAccessRoleIsCreatedInOneRegionOfAStackSet() {
        // Resolver deploys in eu-west-1.
        assertTrue(new Resolver(template, with(WORKLOAD, "GlobalResourcesRegion", "eu-west-1")).exists("InvokerAccessRole"));
        assertFalse(new Resolver(template, with(WORKLOAD, "GlobalResourcesRegion", "us-east-1")).exists("InvokerAccessRole"));
        // GlobalResourcesRegion wins over CreateInvokerAccessRole, so one StackSet parameter value suits every region.
        assertFalse(new Resolver(template, with(WORKLOAD, "GlobalResourcesRegion", "us-east-1",
                "CreateInvokerAccessRole", "true")).exists("InvokerAccessRole"));
        assertTrue(new Resolver(template, WORKLOAD).exists("InvokerAccessRole"));
        assertFalse(new Resolver(template, with(WORKLOAD, "CreateInvokerAccessRole", "false")).exists("InvokerAccessRole"));
    }

    @Test
    void namedIamRolesAreRegionGuardedOrInfraOnly() {
        List<String> problems = new ArrayList<>();
        template.resources().forEach((id, raw) -> {
            Map<String, Object> resource = Template.map(raw);
            if (!"AWS::IAM::Role".equals(resource.get("Type")) || !template.properties(id).containsKey("RoleName")) {
                return;
            }
            Object condition = resource.get("Condition");
            String roleName = String.valueOf(template.properties(id).get("RoleName"));
            boolean guarded = "CreateInvokerAccessRoleHere".equals(condition) || roleName.contains("AWS::Region");
            // The infra stack is deployed in one region (docs/DEPLOY.md); its invoker and janitor roles are the
            // names every workload stack's InvokerAccessRole trusts, so they cannot carry the region.
            boolean infraOnly = "IsInfra".equals(condition)
                    && (id.equals("CrossAccountInvokerRole") || id.equals("AmiJanitorRole"));
            if (!guarded && !infraOnly) {
                problems.add(id + " has a fixed RoleName but neither a one-region condition nor the region in its name");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void thePayloadBucketTakesWritesOnlyFromNamedPrincipalsAndKeepsEveryVersion() {
        Map<String, Object> bucket = template.properties("PayloadBucket");
        assertEquals(Map.of("Status", "Enabled"), bucket.get("VersioningConfiguration"));
        assertEquals(Map.of("Ref", "PayloadAccessLogBucket"), Template.map(bucket.get("LoggingConfiguration")).get("DestinationBucketName"));

        Resolver resolver = new Resolver(template, Map.of("StackRole", "infra",
                "PayloadWriterArns", "arn:aws:iam::111122223333:role/uploader,arn:aws:iam::111122223333:role/ci/release"));
        Object resolved = resolver.resolve(template.properties("PayloadBucketPolicy").get("PolicyDocument"));
        List<?> statements = (List<?>) Template.map(resolved).get("Statement");
        Map<String, Object> writers = statement(statements, "OnlyNamedWritersPutOrDelete");
        assertEquals("Deny", writers.get("Effect"));
        assertTrue(IamStatements.grants(writers, "s3:PutObject") && IamStatements.grants(writers, "s3:DeleteObject"));
        assertEquals(List.of("arn:aws:iam::111122223333:role/uploader", "arn:aws:iam::111122223333:role/ci/release"),
                IamStatements.condition(writers, "ArnNotEquals", "aws:PrincipalArn"));
        Map<String, Object> versions = statement(statements, "NoObjectVersionDeletes");
        assertEquals("Deny", versions.get("Effect"));
        assertTrue(IamStatements.grants(versions, "s3:DeleteObjectVersion"));
        assertFalse(versions.containsKey("Condition"), "no one deletes an object version");
        assertTrue(IamStatements.strings(statement(statements, "TlsOnly").get("Action")).contains("s3:*"));
        assertFalse(java.util.regex.Pattern.matches(String.valueOf(Template.map(template.section("Parameters")
                .get("PayloadWriterArns")).get("AllowedPattern")), "arn:aws:iam::111122223333:role/*"), "no wildcard writers");
    }

    @Test
    void rulesRefuseABuildSubnetWithoutSecurityGroupsAndACreatedBucketWithoutWriters() {
        String rules = String.valueOf(template.section("Rules"));
        assertTrue(rules.contains("BuildSubnetNeedsSecurityGroups={RuleCondition={Fn::Not=[{Fn::Equals=[{Ref=BuildSubnetId}, ]}]}, "
                + "Assertions=[{Assert={Fn::Not=[{Fn::Contains=[{Ref=BuildSecurityGroupIds}, ]}]}"), rules);
        assertTrue(rules.contains("CreatedPayloadBucketNeedsWriters="), rules);
        assertTrue(rules.contains("Assert={Fn::Not=[{Fn::Equals=[{Ref=PayloadWriterArns}, ]}]}"), rules);
    }

    private static Map<String, Object> statement(List<?> statements, String sid) {
        return statements.stream().map(Template::map).filter(s -> sid.equals(s.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("no statement " + sid));
    }
}
