package io.amirollout.shared.state;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link StateTable} on DynamoDB: strongly consistent reads, conditional puts, the SDK's query paginator. */
public final class DynamoStateTable implements StateTable {

    static final String PK = "pk";
    static final String SK = "sk";
    static final String REVISION = "rev";
    static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoStateTable(DynamoDbClient dynamo, String tableName) {
        this.dynamo = dynamo;
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    @Override
    public Optional<StateItem> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(pk), SK, s(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<StateItem> query(String pk, String skPrefix) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(pk));
        String condition = "#pk = :pk";
        if (skPrefix != null && !skPrefix.isEmpty()) {
            condition += " AND begins_with(#sk, :prefix)";
            values.put(":prefix", s(skPrefix));
        }
        Map<String, String> names = new HashMap<>();
        names.put("#pk", PK);
        if (condition.contains("#sk")) {
            names.put("#sk", SK);
        }
        QueryRequest request = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values).build();
        List<StateItem> items = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(i -> items.add(fromItem(i)));
        return items;
    }

    @Override
    public boolean putIfAbsent(StateItem item) {
        return conditionalPut(new StateItem(item.pk(), item.sk(), item.attributes(), 0, item.expiresAt()),
                "attribute_not_exists(#pk)", Map.of());
    }

    @Override
    public boolean replace(StateItem item) {
        if (item.revision() == 0) {
            return conditionalPut(item, "attribute_not_exists(#pk)", Map.of());
        }
        return conditionalPut(item, "#rev = :rev", Map.of(":rev", n(item.revision())));
    }

    @Override
    public void put(StateItem item) {
        dynamo.putItem(r -> r.tableName(tableName).item(toItem(item.written())));
    }

    @Override
    public void delete(String pk, String sk) {
        dynamo.deleteItem(r -> r.tableName(tableName).key(Map.of(PK, s(pk), SK, s(sk))));
    }

    private boolean conditionalPut(StateItem item, String condition, Map<String, AttributeValue> values) {
        // DynamoDB refuses a request whose ExpressionAttributeNames holds a name the expressions do not use.
        Map<String, String> names = new HashMap<>();
        if (condition.contains("#pk")) {
            names.put("#pk", PK);
        }
        if (condition.contains("#rev")) {
            names.put("#rev", REVISION);
        }
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(tableName).item(toItem(item.written()))
                .conditionExpression(condition).expressionAttributeNames(names);
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        try {
            dynamo.putItem(request.build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    static Map<String, AttributeValue> toItem(StateItem item) {
        Map<String, AttributeValue> out = new HashMap<>();
        item.attributes().forEach((k, v) -> out.put(k, s(v)));
        out.put(PK, s(item.pk()));
        out.put(SK, s(item.sk()));
        out.put(REVISION, n(item.revision()));
        if (item.expiresAt() != null) {
            out.put(EXPIRES_AT, n(item.expiresAt().getEpochSecond()));
        }
        return out;
    }

    static StateItem fromItem(Map<String, AttributeValue> item) {
        Map<String, String> attributes = new HashMap<>();
        item.forEach((k, v) -> {
            if (!k.equals(PK) && !k.equals(SK) && !k.equals(REVISION) && !k.equals(EXPIRES_AT) && v.s() != null) {
                attributes.put(k, v.s());
            }
        });
        long revision = item.containsKey(REVISION) ? Long.parseLong(item.get(REVISION).n()) : 0;
        Instant expires = item.containsKey(EXPIRES_AT) ? Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())) : null;
        return new StateItem(item.get(PK).s(), item.get(SK).s(), attributes, revision, expires);
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }
}
