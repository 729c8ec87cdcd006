package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.sink.lake.ParquetS3SinkConnector;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snowflake options as Connect's validate() reports them: each problem on the option it concerns. */
class SnowflakeConfigTest {

    private static Map<String, List<String>> errors(Map<String, String> props) {
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : new ParquetS3SinkConnector().validate(props).configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }

    private static Map<String, String> snowflake() {
        Map<String, String> props = new HashMap<>();
        props.put("store.url", "s3://lake-bucket/lake");
        props.put("warehouse.dialect", "snowflake");
        props.put("warehouse.table", "bronze_db.orders.raw");
        return props;
    }

    @Test
    void eachMissingOrBadOptionIsReportedOnItself() {
        Map<String, String> props = snowflake();
        props.put("snowflake.url", "myaccount.snowflakecomputing.com");
        props.put("snowflake.private.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----");
        props.put("snowflake.role", "loader; DROP ROLE x");
        props.put("snowflake.load.mode", "snowpipe");
        Map<String, List<String>> errors = errors(props);
        assertEquals(Set.of("warehouse.dialect", "snowflake.url", "snowflake.user", "snowflake.private.key", "snowflake.role",
                "snowflake.stage", "snowflake.pipe"), errors.keySet(), errors.toString());
        assertTrue(errors.get("warehouse.dialect").get(0).contains("snowflake-jdbc"), errors.toString());
        assertTrue(errors.get("snowflake.private.key").get(0).contains("PKCS#1"), errors.toString());
    }

    @Test
    void aCompleteConfigurationHasOnlyTheMissingDriverAgainstIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String key = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
        Map<String, String> props = snowflake();
        props.put("snowflake.url", "https://myorg-myaccount.snowflakecomputing.com");
        props.put("snowflake.user", "ORDERFLOW_LOADER");
        props.put("snowflake.private.key", key);
        props.put("snowflake.warehouse", "LOAD_WH");
        props.put("snowflake.stage", "bronze_db.orders.lake_stage");
        props.put("snowflake.stage.prefix", "lake/");
        // The driver is deliberately not on the test class path: the plugin does not bundle it.
        assertEquals(Set.of("warehouse.dialect"), errors(props).keySet());

        LakeSinkConfig config = new LakeSinkConfig(withoutDriverCheck(props));
        assertFalse(config.toString().contains(key.substring(0, 40)), "the private key must never be printed");
        assertEquals(SnowflakeConfig.LoadMode.NONE, config.warehouse().snowflake().loadMode());
        assertEquals("LOAD_WH", config.warehouse().snowflake().warehouse().orElseThrow());
        assertEquals("lake/", config.warehouse().snowflake().stagePrefix());
    }

    private static Map<String, String> withoutDriverCheck(Map<String, String> props) {
        Map<String, String> files = new HashMap<>(props);
        files.put("snowflake.load.mode", "none");
        return files;
    }
}
