package io.orderflow.configs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
                "io.orderflow.smt.predicate.FieldMatches"}) {
            assertTrue(rendered.contains("## " + plugin + "\n"), plugin + " is not in the reference");
        }
        // A row ending in an empty description cell is an option nobody explained.
        rendered.lines().filter(line -> line.startsWith("| `")).forEach(row ->
                assertTrue(!row.endsWith("|  |"), "option without documentation: " + row));
    }
}
