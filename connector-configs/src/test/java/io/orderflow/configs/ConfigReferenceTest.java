package io.orderflow.configs;

import io.orderflow.common.config.Choices;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md is what the plugins' ConfigDefs say today, and every option is documented. */
class ConfigReferenceTest {

    static final String REGENERATE = "mvn -B -pl connector-configs -am test -Dtest=ConfigReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dorderflow.config.reference.write=true";

    private static final Path REFERENCE = Path.of(System.getProperty("orderflow.project.root", ".."))
            .resolve("docs/configuration.md");

    @Test
    void referenceMatchesTheConfigDefs() throws Exception {
        String rendered = ConfigReference.render();
        if (Boolean.getBoolean("orderflow.config.reference.write")) {
            Files.writeString(REFERENCE, rendered, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(REFERENCE), REFERENCE + " is missing; create it with: " + REGENERATE);
        assertEquals(rendered, Files.readString(REFERENCE, StandardCharsets.UTF_8),
                "docs/configuration.md is out of date with the ConfigDefs; regenerate it with: " + REGENERATE);
    }

    @Test
    void everyOptionOfEveryPluginIsDocumented() throws Exception {
        String rendered = ConfigReference.render();
        for (String plugin : new String[] {"io.orderflow.source.OrderSourceConnector",
                "io.orderflow.sink.lake.ParquetS3SinkConnector", "io.orderflow.sink.aggregate.WindowAggregateSinkConnector",
                "io.orderflow.smt.enrich.Enrich$Value", "io.orderflow.smt.window.TumblingWindow",
                "io.orderflow.smt.predicate.FieldMatches", "io.orderflow.sink.convert.RegistryOutageConverter"}) {
            assertTrue(rendered.contains("## " + plugin + "\n"), plugin + " is not in the reference");
        }
        // A row ending in an empty description cell is an option nobody explained.
        rendered.lines().filter(line -> line.startsWith("| `")).forEach(row ->
                assertTrue(!row.endsWith("|  |"), "option without documentation: " + row));
    }

    /**
     * Control Center renders a plugin's form from its ConfigDef: every option needs documentation, a group, an order
     * in that group, a display name, a width and an importance, and an option whose values come from a fixed set a
     * validator or recommender that names them (a dropdown instead of a free text field).
     */
    @Test
    void everyOptionRendersAsACompleteControlCenterFormField() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, ConfigDef> plugin : ConfigReference.configDefs().entrySet()) {
            Map<String, Set<Integer>> ordersByGroup = new HashMap<>();
            for (ConfigDef.ConfigKey key : plugin.getValue().configKeys().values()) {
                String where = plugin.getKey() + " " + key.name + ": ";
                if (key.documentation == null || key.documentation.isBlank()) {
                    missing.add(where + "no documentation");
                }
                if (key.group == null || key.group.isBlank()) {
                    missing.add(where + "no group");
                } else if (key.orderInGroup < 1 || !ordersByGroup.computeIfAbsent(key.group, g -> new HashSet<>()).add(key.orderInGroup)) {
                    missing.add(where + "order in group " + key.orderInGroup + " missing or taken twice in '" + key.group + "'");
                }
                if (key.displayName == null || key.displayName.isBlank() || key.displayName.equals(key.name)) {
                    missing.add(where + "no display name");
                }
                if (key.width == null || key.width == ConfigDef.Width.NONE) {
                    missing.add(where + "no width");
                }
                if (key.importance == null) {
                    missing.add(where + "no importance");
                }
                if (enumerable(key) && key.recommender == null) {
                    missing.add(where + "values from a fixed set (" + key.validator + ") but no recommender");
                }
            }
        }
        assertEquals(List.of(), missing, "incomplete ConfigDef entries");
    }

    /** An option whose validator admits a fixed list of values: orderflow's Choices, or Kafka's ValidString kinds. */
    private static boolean enumerable(ConfigDef.ConfigKey key) {
        return key.validator instanceof Choices || key.validator instanceof ConfigDef.ValidString
                || key.validator instanceof ConfigDef.CaseInsensitiveValidString || key.validator instanceof ConfigDef.ValidList;
    }
}
