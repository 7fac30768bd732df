package io.amirollout.it;

import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The stack's state table (template.yaml StateTable: pk/sk strings, on demand) in moto's DynamoDB. */
public final class StateTableInMoto {

    public static final String NAME = "ami-rollout-state";

    private StateTableInMoto() {
    }

    /** Creates the table {@code name} (or finds it: moto is reset between classes) and returns it. */
    public static StateTable create(String name) {
        DynamoDbClient dynamo = Moto.client(DynamoDbClient.builder());
        try {
            createTable(dynamo, name);
        } catch (ResourceInUseException e) {
            // created by an earlier test of the class; moto is reset between classes
        }
        return new DynamoStateTable(dynamo, name);
    }

    /** Creates the table {@link #NAME} (moto must have been reset since the last creation); returns its name. */
    public static String create() {
        createTable(Moto.client(DynamoDbClient.builder()), NAME);
        return NAME;
    }

    private static void createTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
    }
}
