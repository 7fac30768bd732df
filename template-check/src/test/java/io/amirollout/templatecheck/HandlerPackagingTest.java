package io.amirollout.templatecheck;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler template.yaml names is what Lambda will find: a class at the root of the function's
 * zip (the Lambda Java layout), a RequestStreamHandler with the public no-arg constructor the
 * runtime calls.
 */
class HandlerPackagingTest {

    static final java.util.List<Functions.Function> FUNCTIONS = Functions.all();

    private final Template template = Template.load();

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void handlerClassIsAtTheRootOfTheZip(Functions.Function function) throws IOException {
        String folder = template.folder(function.logicalId());
        Path zip = Template.ROOT.resolve("functions").resolve(folder).resolve("target/function.zip");
        assertTrue(Files.exists(zip), zip + " is built before template-check (reactor order)");
        String entry = template.handlerClass(function.logicalId()).replace('.', '/') + ".class";
        try (ZipFile file = new ZipFile(zip.toFile())) {
            assertNotNull(file.getEntry(entry), zip + " holds " + entry + " at its root");
        }
    }

    @ParameterizedTest
    @FieldSource("FUNCTIONS")
    void handlerIsAStreamHandlerLambdaCanConstruct(Functions.Function function) throws Exception {
        // Not initialised: loading must not run static set-up (clients, CRaC registration).
        Class<?> handler = Class.forName(template.handlerClass(function.logicalId()), false, getClass().getClassLoader());
        assertTrue(RequestStreamHandler.class.isAssignableFrom(handler), handler + " implements RequestStreamHandler");
        assertTrue(Modifier.isPublic(handler.getModifiers()), handler + " is public");
        assertTrue(Modifier.isPublic(handler.getConstructor().getModifiers()), handler + " has a public no-arg constructor");
        assertNotNull(handler.getMethod("handleRequest", InputStream.class, OutputStream.class, Context.class));
    }
}
