package io.amirollout.shrinker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes zips and jars byte-for-byte reproducibly: entries sorted by name, every entry stamped with the
 * build's {@code project.build.outputTimestamp} (as a local date-time, so the machine's time zone cannot
 * change the bytes), no directory entries, no extra fields.
 */
final class ReproducibleZip {

    private ReproducibleZip() {
    }

    static byte[] toBytes(Map<String, byte[]> entries, LocalDateTime time) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(entries, time, bytes);
        return bytes.toByteArray();
    }

    static void write(Map<String, byte[]> entries, LocalDateTime time, Path file) throws IOException {
        // Written next to the target and moved over it, so a failed build never leaves half a zip behind.
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            write(entries, time, out);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(Map<String, byte[]> entries, LocalDateTime time, OutputStream target) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(target)) {
            out.setLevel(9);
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(entries).entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                zipEntry.setTimeLocal(time);
                out.putNextEntry(zipEntry);
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
    }
}
