package io.amirollout.shared.state;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The conditional writes as DynamoDB receives them. DynamoDB refuses a request whose
 * ExpressionAttributeNames holds a name its expressions do not use ("Value provided in
 * ExpressionAttributeNames unused in expressions"), so every name sent must appear in the condition.
 */
class DynamoStateTableTest {

    private static final Pattern NAME = Pattern.compile("#\\w+");

    private final DynamoDbClient dynamo = mock(DynamoDbClient.class);
    private final DynamoStateTable table = new DynamoStateTable(dynamo, "state");

    private PutItemRequest sent() {
        ArgumentCaptor<PutItemRequest> request = ArgumentCaptor.forClass(PutItemRequest.class);
        verify(dynamo).putItem(request.capture());
        return request.getValue();
    }

    private static void assertNamesUsed(PutItemRequest request) {
        java.util.Set<String> used = new java.util.HashSet<>();
        Matcher matcher = NAME.matcher(request.conditionExpression());
        while (matcher.find()) {
            used.add(matcher.group());
        }
        assertEquals(used, request.expressionAttributeNames().keySet(), request.conditionExpression());
    }

    @Test
    void aRevisionConditionSendsOnlyTheNamesItUses() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

        assertTrue(table.replace(new StateItem("group#web", "head", Map.of("a", "b"), 3, null)));

        PutItemRequest request = sent();
        assertEquals("#rev = :rev", request.conditionExpression());
        assertNamesUsed(request);
        assertEquals("3", request.expressionAttributeValues().get(":rev").n());
        assertEquals("4", request.item().get("rev").n(), "the stored revision is the next one");
    }

    @Test
    void aFirstWriteIsConditionalOnAbsence() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenReturn(PutItemResponse.builder().build());

        assertTrue(table.putIfAbsent(new StateItem("group#web", "rejected#ami-1", Map.of(), 0, null)));

        PutItemRequest request = sent();
        assertEquals("attribute_not_exists(#pk)", request.conditionExpression());
        assertNamesUsed(request);
    }

    @Test
    void aLostConditionIsFalseNotAnError() {
        when(dynamo.putItem(any(PutItemRequest.class))).thenThrow(ConditionalCheckFailedException.builder().message("lost").build());

        assertFalse(table.replace(new StateItem("group#web", "head", Map.of(), 2, null)));
    }
}
