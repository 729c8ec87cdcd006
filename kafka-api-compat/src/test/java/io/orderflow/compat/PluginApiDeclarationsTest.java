package io.orderflow.compat;

import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The declarations this module ships match Kafka's own interfaces method for method, so that a plugin compiled
 * against Kafka's links against either.
 */
class PluginApiDeclarationsTest {

    @Test
    void declarationsMatchKafkaClients() throws Exception {
        URL ours = Monitorable.class.getProtectionDomain().getCodeSource().getLocation();
        URL kafka = kafkaClientsJar();
        assertNotEquals(ours, kafka);
        for (Class<?> declared : new Class<?>[] {Monitorable.class, PluginMetrics.class}) {
            try (URLClassLoader kafkaOnly = new URLClassLoader(new URL[] {kafka}, ClassLoader.getPlatformClassLoader());
                 URLClassLoader oursOnly = new URLClassLoader(new URL[] {ours, kafka}, ClassLoader.getPlatformClassLoader())) {
                assertEquals(signatures(kafkaOnly.loadClass(declared.getName())),
                        signatures(oursOnly.loadClass(declared.getName())), declared.getName());
            }
        }
    }

    private static URL kafkaClientsJar() throws Exception {
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith("kafka-clients-")) {
                return Path.of(entry).toUri().toURL();
            }
        }
        throw new AssertionError("kafka-clients is not on the test classpath");
    }

    private static Set<String> signatures(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).map(PluginApiDeclarationsTest::signature).collect(Collectors.toSet());
    }

    private static String signature(Method method) {
        return method.getGenericReturnType().getTypeName() + " " + method.getName() + Arrays.stream(method.getGenericParameterTypes())
                .map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(",", "(", ")"));
    }
}
