package io.orderflow.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * This JVM's classpath without the project's own classes and jars (anything under {@code projectRoot}, and
     * io.orderflow artifacts from the local repository): the Connect runtime and libraries Maven resolved, for a
     * worker process that must find orderflow only on its plugin path.
     */
    public static String workerClasspath(Path projectRoot) {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (!path.startsWith(projectRoot) && !entry.contains(File.separator + "io" + File.separator + "orderflow" + File.separator)) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }
}
