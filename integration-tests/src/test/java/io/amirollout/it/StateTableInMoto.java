package io.amirollout.it;

import io.amirollout.shared.state.DynamoStateTable;
import io.amirollout.shared.state.StateTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The stack's state table (template.yaml StateTable: pk/sk strings) in moto's DynamoDB. */
public final class StateTableInMoto {

    private StateTableInMoto() {
    }

    public static StateTable create(String name) {
        DynamoDbClient dynamo = Moto.client(DynamoDbClient.builder());
        try {
            dynamo.createTable(r -> r.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH), k -> k.attributeName("sk").keyType(KeyType.RANGE)));
        } catch (ResourceInUseException e) {
            // created by an earlier test of the class; moto is reset between classes
        }
        return new DynamoStateTable(dynamo, name);
    }
}
