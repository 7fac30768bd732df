package io.amirollout.shared.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads sample files (events/…, relative to the module directory Maven runs tests in). */
public final class TestFiles {

    private TestFiles() {
    }

    public static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InputStream stream(String path) {
        return new ByteArrayInputStream(read(path).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
