package io.amirollout.shrinker;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Lambda Java deployment package as the assembly plugin writes it: the function's own classes and
 * resources at the root, every runtime jar under {@code lib/}. Entries are kept sorted by name so whatever
 * is written from them comes out in the same order on every build.
 *
 * @param root the root entries (our classes and resources), name to bytes
 * @param libs the runtime jars, file name (without {@code lib/}) to their entries (read once, here)
 */
record FunctionZip(Map<String, byte[]> root, Map<String, Map<String, byte[]>> libs) {

    static FunctionZip read(Path zip) throws IOException {
        Map<String, byte[]> root = new TreeMap<>();
        Map<String, Map<String, byte[]>> libs = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                if (name.startsWith("lib/") && name.endsWith(".jar") && name.indexOf('/', 4) < 0) {
                    libs.put(name.substring(4), entries(in.readAllBytes()));
                } else if (name.startsWith("lib/")) {
                    throw new IOException(zip + ": unexpected entry " + name + " (lib/ holds jars only)");
                } else {
                    root.put(name, in.readAllBytes());
                }
            }
        }
        if (root.keySet().stream().noneMatch(name -> name.endsWith(".class"))) {
            throw new IOException(zip + ": no classes at the root: not a function zip");
        }
        return new FunctionZip(root, libs);
    }

    /** The entries of one jar, name to bytes, sorted; directories left out. */
    static Map<String, byte[]> entries(byte[] jar) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        try (InputStream bytes = new ByteArrayInputStream(jar); ZipInputStream in = new ZipInputStream(bytes)) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    /** Classes in the whole zip: at the root and in every jar. */
    long classCount() {
        return classCount(root) + libs.values().stream().mapToLong(FunctionZip::classCount).sum();
    }

    static long classCount(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(name -> name.endsWith(".class")).count();
    }
}
