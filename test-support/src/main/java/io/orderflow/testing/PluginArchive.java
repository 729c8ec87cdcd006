package io.orderflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Installs a Confluent Hub archive as {@code confluent-hub install} does: unzipped, one folder per component. */
public final class PluginArchive {

    private PluginArchive() {
    }

    /** Unzips the archive under the plugin path; returns the component's folder (the one holding manifest.json). */
    public static Path unzip(Path zip, Path pluginPath) throws IOException {
        Path root = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                Path target = pluginPath.resolve(entry.getName()).normalize();
                if (!target.startsWith(pluginPath)) {
                    throw new IOException("Archive entry escapes the plugin path: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (entry.getName().endsWith("manifest.json")) {
                    root = target.getParent();
                }
            }
        }
        if (root == null) {
            throw new IOException(zip + " has no manifest.json");
        }
        return root;
    }
}
