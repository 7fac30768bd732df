package io.amirollout.templatecheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The template's shape: every function deployed once, with the settings issue 5 requires. */
class TemplateStructureTest {

    static final List<Functions.Function> FUNCTIONS = Functions.all();
    private static final Set<String> PSEUDO = Set.of("AWS::Region", "AWS::AccountId", "AWS::Partition",
            "AWS::URLSuffix", "AWS::StackName", "AWS::StackId", "AWS::NoValue", "AWS::NotificationARNs");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private final Template template = Template.load();

    @Test
    void shortFormTagsBecomeTheLongFormsCloudFormationSees() {
        Map<String, Object> parsed = CloudFormationYaml.parse(new StringReader("""
                a: !Ref Bucket
                b: !GetAtt Queue.Arn
                c: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}'
                d: !If [IsInfra, !Ref A, !Ref AWS::NoValue]
                e: !Equals [!Select [0, !Split [',', !Join [',', [x, y]]]], x]
                f: !Not [!Or [!Condition C, !And [!Condition C, !Condition D]]]
                g: !FindInMap [M, K, V]
                h: !ImportValue other-stack-output
                i: !Base64 text
                j: !Cidr [10.0.0.0/16, 4, 8]
                k: !GetAZs ''
                l: !GetAtt [Queue, Arn]
                """));
        assertEquals(Map.of("Ref", "Bucket"), parsed.get("a"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Queue", "Arn")), parsed.get("b"));
        assertEquals(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${Bucket}"), parsed.get("c"));
        assertEquals(Map.of("Fn::If", List.of("IsInfra", Map.of("Ref", "A"), Map.of("Ref", "AWS::NoValue"))), parsed.get("d"));
        assertEquals(Map.of("Fn::Equals", List.of(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of(",",
                Map.of("Fn::Join", List.of(",", List.of("x", "y"))))))), "x")), parsed.get("e"));
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Fn::Or", List.of(Map.of("Condition", "C"),
                Map.of("Fn::And", List.of(Map.of("Condition", "C"), Map.of("Condition", "D"))))))), parsed.get("f"));
        assertEquals(Map.of("Fn::FindInMap", List.of("M", "K", "V")), parsed.get("g"));
        assertEquals(Map.of("Fn::ImportValue", "other-stack-output"), parsed.get("h"));
        assertEquals(Map.of("Fn::Base64", "text"), parsed.get("i"));
        assertEquals(Map.of("Fn::Cidr", List.of("10.0.0.0/16", 4, 8)), parsed.get("j"));
        assertEquals(Map.of("Fn::GetAZs", ""), parsed.get("k"));
        assertEquals(Map.of("Fn::GetAtt", List.of("Queue", "Arn")), parsed.get("l"));
    }

    @Test
    void isOneSamTemplate() {
        assertEquals("AWS::Serverless-2016-10-31", template.document.get("Transform"));
        Map<String, Object> role = Template.map(template.section("Parameters").get("StackRole"));
        assertEquals(List.of("infra", "workload", "both"), role.get("AllowedValues"));
    }

    @Test
    void everyFunctionModuleIsDeployedExactlyOnceUnderItsContractName() throws IOException {
        Set<String> modules;
        try (Stream<Path> folders = Files.list(Template.ROOT.resolve("functions"))) {
            modules = folders.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> contract = FUNCTIONS.stream().map(Functions.Function::folder).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(contract, modules, "functions/ folders vs the function table");

        Set<String> ids = new TreeSet<>(template.functionIds());
        assertEquals(FUNCTIONS.stream().map(Functions.Function::logicalId).collect(Collectors.toCollection(TreeSet::new)), ids,
                "AWS::Serverless::Function resources in template.yaml");
        for (Functions.Function function : FUNCTIONS) {
            assertEquals(function.folder(), template.folder(function.logicalId()), function.logicalId() + " CodeUri");
            assertEquals(function.handlerClass() + "::handleRequest",
                    template.properties(function.logicalId()).get("Handler"), function.logicalId() + " Handler");
        }
    }

    @Test
    void globalsSetJava21OnArm64WithJsonLogs() {
        for (Functions.Function function : FUNCTIONS) {
            Map<String, Object> properties = template.functionProperties(function.logicalId());
            assertEquals("java21", properties.get("Runtime"), function + " runtime");
            assertEquals(List.of("arm64"), properties.get("Architectures"), function + " architecture");
            assertNotNull(properties.get("MemorySize"), function + " memory");
            assertNotNull(properties.get("Timeout"), function + " timeout");
            assertEquals("JSON", Template.map(properties.get("LoggingConfig")).get("LogFormat"), function + " log format");
            assertEquals("live", properties.get("AutoPublishAlias"),
                    function + ": events, async settings and SnapStart apply to the alias");
        }
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void hasItsOwnLogGroupWithRetention(Functions.Function function) {
        Object logGroup = Template.map(template.functionProperties(function.logicalId()).get("LoggingConfig")).get("LogGroup");
        assertTrue(logGroup instanceof Map<?, ?> ref && ref.containsKey("Ref"), function + ": LoggingConfig.LogGroup is !Ref to its log group");
        String id = String.valueOf(Template.map(logGroup).get("Ref"));
        assertEquals("AWS::Logs::LogGroup", template.type(id), function + " log group type");
        assertNotNull(template.properties(id).get("RetentionInDays"), id + " has a retention");
        assertEquals(template.resource(function.logicalId()).get("Condition"), template.resource(id).get("Condition"),
                id + " exists exactly when its function does");
        long users = FUNCTIONS.stream().filter(f -> logGroup.equals(
                Template.map(template.functionProperties(f.logicalId()).get("LoggingConfig")).get("LogGroup"))).count();
        assertEquals(1, users, id + " belongs to one function");
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void setsAsynchronousRetriesAgeAndAnEncryptedFailureDestination(Functions.Function function) {
        Map<String, Object> config = Template.map(template.properties(function.logicalId()).get("EventInvokeConfig"));
        assertTrue(config.get("MaximumRetryAttempts") instanceof Integer, function + " MaximumRetryAttempts");
        assertTrue(config.get("MaximumEventAgeInSeconds") instanceof Integer, function + " MaximumEventAgeInSeconds");
        Map<String, Object> onFailure = Template.map(Template.map(config.get("DestinationConfig")).get("OnFailure"));
        assertEquals("SQS", onFailure.get("Type"), function + " on-failure destination type");
        Object destination = onFailure.get("Destination");
        @SuppressWarnings("unchecked")
        List<String> getAtt = (List<String>) Template.map(destination).get("Fn::GetAtt");
        assertEquals("AWS::SQS::Queue", template.type(getAtt.get(0)), function + " destination is a queue");
        Map<String, Object> queue = template.properties(getAtt.get(0));
        assertTrue(Boolean.TRUE.equals(queue.get("SqsManagedSseEnabled")) || queue.containsKey("KmsMasterKeyId"),
                getAtt.get(0) + " is encrypted");
    }

    @Test
    void identityPoliciesUseNoFullAccessPolicyAndNoWildcardAction() {
        List<String> problems = new ArrayList<>();
        template.resources().forEach((id, raw) -> {
            Map<String, Object> resource = Template.map(raw);
            Map<String, Object> properties = Template.map(resource.getOrDefault("Properties", Map.of()));
            for (Object arn : asList(properties.get("ManagedPolicyArns"))) {
                if (String.valueOf(arn).contains("FullAccess")) {
                    problems.add(id + " attaches " + arn);
                }
            }
            String type = String.valueOf(resource.get("Type"));
            boolean identityPolicy = type.equals("AWS::Serverless::Function") || type.equals("AWS::IAM::Role")
                    || type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy");
            if (identityPolicy) {
                for (Object policy : asList(properties.get("Policies"))) {
                    if (policy instanceof String name && name.contains("FullAccess")) {
                        problems.add(id + " uses " + name);
                    }
                }
                for (Map<String, Object> statement : Policies.statements(properties)) {
                    for (String action : Policies.actions(statement)) {
                        if (action.equals("*") || action.endsWith(":*")) {
                            problems.add(id + " allows " + action);
                        }
                    }
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyReferenceNamesSomethingTheTemplateDeclares() {
        Set<String> names = new TreeSet<>(PSEUDO);
        names.addAll(template.section("Parameters").keySet());
        names.addAll(template.resources().keySet());
        for (String function : template.functionIds()) {
            names.add(function + ".Alias");
        }
        Set<String> conditions = template.section("Conditions").keySet();
        List<String> problems = new ArrayList<>();
        walk(template.document, node -> {
            if (node instanceof Map<?, ?> map && Template.isIntrinsic(map)) {
                Map.Entry<?, ?> entry = map.entrySet().iterator().next();
                String key = String.valueOf(entry.getKey());
                Object value = entry.getValue();
                switch (key) {
                    case "Ref" -> check(names.contains(String.valueOf(value)), problems, "Ref " + value);
                    case "Condition" -> check(conditions.contains(String.valueOf(value)), problems, "Condition " + value);
                    case "Fn::GetAtt" -> check(template.resources().containsKey(String.valueOf(((List<?>) value).get(0))),
                            problems, "GetAtt " + value);
                    case "Fn::If" -> check(conditions.contains(String.valueOf(((List<?>) value).get(0))), problems, "If " + value);
                    case "Fn::Sub" -> {
                        Object text = value instanceof List<?> l ? l.get(0) : value;
                        Set<String> local = value instanceof List<?> l ? Template.map(l.get(1)).keySet() : Set.of();
                        Matcher matcher = SUB_VARIABLE.matcher(String.valueOf(text));
                        while (matcher.find()) {
                            String variable = matcher.group(1);
                            String base = variable.contains(".") && !variable.startsWith("AWS::")
                                    ? variable.substring(0, variable.indexOf('.')) : variable;
                            check(local.contains(variable) || names.contains(base), problems, "Sub ${" + variable + "}");
                        }
                    }
                    default -> {
                    }
                }
            }
        });
        template.resources().forEach((id, resource) -> {
            Object condition = Template.map(resource).get("Condition");
            if (condition != null) {
                check(conditions.contains(String.valueOf(condition)), problems, id + " Condition " + condition);
            }
        });
        assertEquals(List.of(), problems, "unresolvable references");
    }

    @Test
    void snapStartOnEveryFunctionsPublishedVersions() {
        // The functions run rarely, so nearly every invocation is a cold start; Java SnapStart costs nothing
        // extra and every handler primes itself before the snapshot (benchmarks/README.md, issue 7).
        for (Functions.Function function : FUNCTIONS) {
            Object snapStart = template.functionProperties(function.logicalId()).get("SnapStart");
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), snapStart, function + " SnapStart");
        }
    }

    private static void check(boolean ok, List<String> problems, String what) {
        if (!ok) {
            problems.add(what);
        }
    }

    private static List<?> asList(Object value) {
        return value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
    }

    static void walk(Object node, java.util.function.Consumer<Object> visitor) {
        visitor.accept(node);
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(v -> walk(v, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(v, visitor));
        }
    }

    @Test
    void noFunctionIsLeftWithoutAnEventSourceOrACaller() {
        // instance-refresh is also invoked across accounts (InvokerAccessRole); every other
        // function needs at least one event source in the template.
        for (Functions.Function function : FUNCTIONS) {
            Object events = template.properties(function.logicalId()).get("Events");
            // slack-notifier's source is an explicit event source mapping (its queue), not a SAM event.
            boolean mapped = !CentralNoticesWiringTest.eventSourceMappingsOf(template, function.logicalId()).isEmpty();
            assertFalse((events == null || Template.map(events).isEmpty()) && !mapped, function + " has event sources");
        }
    }
}
