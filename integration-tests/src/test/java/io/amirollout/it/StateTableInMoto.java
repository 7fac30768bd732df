package io.amirollout.it;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The stack's state table (template.yaml StateTable: pk/sk strings, on demand) created in moto. */
public final class StateTableInMoto {

    public static final String NAME = "ami-rollout-state";

    private StateTableInMoto() {
    }

    /** Creates the table (moto must have been reset since the last creation); returns its name. */
    public static String create() {
        DynamoDbClient dynamo = Moto.client(DynamoDbClient.builder());
        dynamo.createTable(r -> r.tableName(NAME).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        return NAME;
    }
}
