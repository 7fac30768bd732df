package io.amirollout.shared.state;

import io.amirollout.shared.AwsClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the stack's {@link StateTable} from {@code STATE_TABLE_NAME} (set by template.yaml). */
public final class StateTables {

    /** The environment variable every function that uses the state table reads. */
    public static final String TABLE_NAME_VARIABLE = "STATE_TABLE_NAME";

    private StateTables() {
    }

    public static StateTable dynamo(String tableName) {
        return new DynamoStateTable(AwsClients.build(DynamoDbClient.builder()), tableName);
    }
}
