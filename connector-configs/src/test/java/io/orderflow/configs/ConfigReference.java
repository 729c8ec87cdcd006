package io.orderflow.configs;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration reference (docs/configuration.md), rendered from the plugins' own {@link ConfigDef}s the way
 * Kafka renders its docs from its ConfigDefs: every plugin the archive registers in {@code META-INF/services}, in
 * that order, each option in definition order within its group. Nothing here is written by hand, so the reference
 * cannot drift from what {@code validate()} accepts.
 */
final class ConfigReference {

    /** The plugin kinds a worker discovers with {@code plugin.discovery=service_load}, in the order shown. */
    private static final List<Class<?>> KINDS = List.of(SourceConnector.class, SinkConnector.class,
            Transformation.class, Predicate.class, Converter.class);

    private ConfigReference() {
    }

    static String render() throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("Generated from the plugins' `ConfigDef`s by `ConfigReference`; do not edit by hand. ")
                .append("`ConfigReferenceTest` fails when this file is out of date; regenerate it with\n\n")
                .append("```bash\n").append(ConfigReferenceTest.REGENERATE).append("\n```\n\n")
                .append("Worker-level options (`key.converter`, `errors.tolerance`, `transforms`, `consumer.override.*`, ...) ")
                .append("are Kafka Connect's own and are described in the Kafka documentation.\n\n");
        Map<String, Class<?>> plugins = plugins();
        for (Map.Entry<String, Class<?>> plugin : plugins.entrySet()) {
            out.append("- [`").append(plugin.getKey()).append("`](#").append(anchor(plugin.getKey())).append(")\n");
        }
        for (Map.Entry<String, Class<?>> plugin : plugins.entrySet()) {
            out.append('\n').append(section(plugin.getKey(), plugin.getValue()));
        }
        return out.toString();
    }

    /** Every plugin the archive registers, with its ConfigDef. */
    static Map<String, ConfigDef> configDefs() throws Exception {
        Map<String, ConfigDef> defs = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> plugin : plugins().entrySet()) {
            defs.put(plugin.getKey(), configDef(plugin.getValue()));
        }
        return defs;
    }

    private static ConfigDef configDef(Class<?> type) throws Exception {
        Object plugin = type.getDeclaredConstructor().newInstance();
        return plugin instanceof Connector connector ? connector.config()
                : plugin instanceof Transformation<?> transformation ? transformation.config()
                : plugin instanceof Converter converter ? converter.config()
                : ((Predicate<?>) plugin).config();
    }

    private static Map<String, Class<?>> plugins() throws IOException, ClassNotFoundException {
        Map<String, Class<?>> plugins = new LinkedHashMap<>();
        ClassLoader loader = ConfigReference.class.getClassLoader();
        for (Class<?> kind : KINDS) {
            List<URL> files = Collections.list(loader.getResources("META-INF/services/" + kind.getName()));
            List<String> names = new ArrayList<>();
            for (URL file : files) {
                try (InputStream in = file.openStream()) {
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                            .filter(line -> line.startsWith("io.orderflow.")).forEach(names::add);
                }
            }
            for (String name : names) {
                plugins.put(name, Class.forName(name, false, loader));
            }
        }
        return plugins;
    }

    private static String section(String name, Class<?> type) throws Exception {
        ConfigDef def = configDef(type);
        StringBuilder out = new StringBuilder();
        out.append("## ").append(name).append("\n\n");
        String overview = overview(type);
        if (overview != null) {
            out.append(overview).append("\n\n");
        }
        Map<String, List<ConfigKey>> groups = def.configKeys().values().stream()
                .collect(Collectors.groupingBy(key -> key.group == null ? "" : key.group, LinkedHashMap::new,
                        Collectors.toList()));
        for (Map.Entry<String, List<ConfigKey>> group : groups.entrySet()) {
            if (!group.getKey().isEmpty() && groups.size() > 1) {
                out.append("### ").append(group.getKey()).append("\n\n");
            }
            out.append("| option | type | default | valid values | importance | description |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (ConfigKey key : group.getValue()) {
                out.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase())
                        .append(" | ").append(cell(defaultValue(key))).append(" | ").append(cell(validValues(key)))
                        .append(" | ").append(key.importance.name().toLowerCase()).append(" | ")
                        .append(cell(key.documentation)).append(" |\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The plugin's {@code OVERVIEW_DOC}, the convention of Kafka's own transforms; the enclosing class for Key/Value. */
    private static String overview(Class<?> type) throws IllegalAccessException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getField("OVERVIEW_DOC");
                return (String) field.get(null);
            } catch (NoSuchFieldException e) {
                // try the superclass: Enrich$Value inherits Enrich's
            }
        }
        return null;
    }

    private static String defaultValue(ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            return key.defaultValue == null ? "null" : "[hidden]";
        }
        if (key.defaultValue == null) {
            return "null";
        }
        String text = ConfigDef.convertToString(key.defaultValue, key.type);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    /** Only validators that describe themselves; a lambda's identity hash would make the file differ per run. */
    private static String validValues(ConfigKey key) {
        if (key.validator == null) {
            return "";
        }
        try {
            if (key.validator.getClass().getMethod("toString").getDeclaringClass() == Object.class) {
                return "";
            }
        } catch (NoSuchMethodException e) {
            return "";
        }
        return key.validator.toString();
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
    }

    private static String anchor(String heading) {
        return heading.toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
