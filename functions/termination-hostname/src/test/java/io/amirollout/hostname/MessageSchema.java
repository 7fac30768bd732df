package io.amirollout.hostname;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.amirollout.shared.testing.TestFiles;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/termination-hostname-message.schema.json, the listener's contract, as a validator for the tests. */
final class MessageSchema {

    static final String FILE = "../../docs/termination-hostname-message.schema.json";
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(TestFiles.read(FILE), InputFormat.JSON);

    private MessageSchema() {
    }

    static List<String> problems(String message) {
        return SCHEMA.validate(message, InputFormat.JSON, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)))
                .stream().map(Error::toString).toList();
    }

    static void assertValid(String message) {
        assertEquals(List.of(), problems(message), message);
    }
}
