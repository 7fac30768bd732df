package io.amirollout.shared.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.amirollout.shared.testing.LocalAwsEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional writes as DynamoDB receives them. DynamoDB refuses a request whose ExpressionAttributeNames
 * holds a name the expressions do not use ("Value provided in ExpressionAttributeNames unused in
 * expressions"), so each write names exactly what its condition uses.
 */
class DynamoStateTableProtocolTest {

    private LocalAwsEndpoint endpoint;
    private DynamoStateTable table;

    @BeforeEach
    void start() {
        endpoint = LocalAwsEndpoint.start();
        endpoint.server().stubFor(post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo("DynamoDB_20120810.PutItem"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.0").withBody("{}")));
        table = new DynamoStateTable(endpoint.client(DynamoDbClient.builder()), "state");
    }

    @AfterEach
    void stop() {
        endpoint.stop();
    }

    private JsonNode sent() throws Exception {
        return new ObjectMapper().readTree(endpoint.server().findAll(postRequestedFor(urlPathEqualTo("/"))).get(0).getBodyAsString());
    }

    @Test
    void replacingAStoredItemNamesOnlyTheRevision() throws Exception {
        assertTrue(table.replace(new StateItem("pk-1", "sk-1", Map.of("state", "MARKED"), 3, null)));
        JsonNode request = sent();
        assertEquals("#rev = :rev", request.get("ConditionExpression").asText());
        assertEquals(1, request.get("ExpressionAttributeNames").size(), request.toString());
        assertEquals("rev", request.get("ExpressionAttributeNames").get("#rev").asText());
        assertEquals("4", request.get("Item").get("rev").get("N").asText(), "the stored revision moves on");
    }

    @Test
    void aFirstWriteNamesOnlyTheKey() throws Exception {
        assertTrue(table.putIfAbsent(StateItem.of("pk-1", "sk-1")));
        JsonNode request = sent();
        assertEquals("attribute_not_exists(#pk)", request.get("ConditionExpression").asText());
        assertEquals(1, request.get("ExpressionAttributeNames").size(), request.toString());
    }
}
