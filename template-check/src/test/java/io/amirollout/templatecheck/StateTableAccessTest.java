package io.amirollout.templatecheck;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state of record: a function that may touch DynamoDB touches only its stack's StateTable, with item-level
 * actions only, and is told the table's name (STATE_TABLE_NAME = Ref StateTable).
 */
class StateTableAccessTest {

    static final List<Functions.Function> FUNCTIONS = Functions.all();
    /** What reading and deciding through shared-lib's StateTable needs; nothing that scans, deletes tables or changes them. */
    static final Set<String> ITEM_ACTIONS = Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem",
            "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem");

    private final Template template = Template.load();

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void dynamoDbOnlyOnTheStacksStateTableAndOnlyItemActions(Functions.Function function) {
        List<String> problems = new ArrayList<>();
        boolean grants = false;
        for (Map<String, Object> statement : Policies.functionStatements(template, function.logicalId())) {
            List<String> dynamo = Policies.actions(statement).stream().filter(a -> a.toLowerCase().startsWith("dynamodb:")).toList();
            if (dynamo.isEmpty()) {
                continue;
            }
            grants = true;
            String resource = String.valueOf(statement.get("Resource"));
            if (!resource.contains("StateTable.Arn") && !resource.contains("StateTable, Arn")) {
                problems.add(statement.get("Sid") + ": resource " + resource + " is not !GetAtt StateTable.Arn");
            }
            dynamo.stream().filter(a -> !ITEM_ACTIONS.contains(a)).forEach(a -> problems.add(statement.get("Sid") + ": " + a));
        }
        assertEquals(List.of(), problems, function.folder());
        if (grants) {
            Map<String, Object> variables = Template.map(Template.map(template.properties(function.logicalId())
                    .get("Environment")).get("Variables"));
            assertTrue(String.valueOf(variables.get("STATE_TABLE_NAME")).contains("StateTable"),
                    function.folder() + " may use the table, so it is told its name: " + variables.get("STATE_TABLE_NAME"));
        }
    }
}
