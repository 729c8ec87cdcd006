package io.orderflow.testing;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the plugin metrics (KIP-877) a worker publishes over JMX, as an operator's JMX client or the Prometheus
 * exporter does: MBeans {@code kafka.connect:type=plugins,connector=<name>,task=<n>}, plus a key naming the alias
 * for a transform or predicate of that task.
 */
public final class PluginMetricsOverJmx implements AutoCloseable {

    private static final Set<String> TASK_KEYS = Set.of("type", "connector", "task");

    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private PluginMetricsOverJmx(JMXConnector connector, MBeanServerConnection server) {
        this.connector = connector;
        this.server = server;
    }

    /** The worker process started with {@link #jvmOptions(int)}. */
    public static PluginMetricsOverJmx remote(int port) throws IOException {
        JMXConnector connector = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
        return new PluginMetricsOverJmx(connector, connector.getMBeanServerConnection());
    }

    /** JVM options that open an unauthenticated JMX port on 127.0.0.1, for a test worker only. */
    public static List<String> jvmOptions(int port) {
        return List.of("-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1");
    }

    /** A task-level metric summed over the connector's tasks, or null when no task publishes it. */
    public Double task(String connectorName, String metric) throws Exception {
        return sum(connectorName, null, metric);
    }

    /** A metric of the transform or predicate named {@code alias}, summed over the connector's tasks, or null. */
    public Double plugin(String connectorName, String alias, String metric) throws Exception {
        return sum(connectorName, alias, metric);
    }

    /**
     * One of the worker's own task error metrics ({@code kafka.connect:type=task-error-metrics}, say
     * {@code deadletterqueue-produce-requests}) summed over the connector's tasks, or null when it has none.
     */
    public Double taskErrors(String connectorName, String metric) throws Exception {
        Double total = null;
        for (ObjectName name : names("kafka.connect:type=task-error-metrics,*", connectorName)) {
            double value = ((Number) server.getAttribute(name, metric)).doubleValue();
            total = total == null ? value : total + value;
        }
        return total;
    }

    /** The worker JVM's heap in use now, in bytes (its {@code java.lang:type=Memory} MBean). */
    public long heapUsedBytes() throws Exception {
        Object usage = server.getAttribute(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
        return (Long) ((javax.management.openmbean.CompositeData) usage).get("used");
    }

    /** Every plugin-metric MBean of the connector with its attributes, for failure messages. */
    public List<String> describe(String connectorName) throws Exception {
        List<String> described = new ArrayList<>();
        for (ObjectName name : names(connectorName)) {
            List<String> attributes = new ArrayList<>();
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                attributes.add(attribute.getName() + "=" + server.getAttribute(name, attribute.getName()));
            }
            described.add(name + " " + attributes);
        }
        return described;
    }

    /** The names of every plugin metric the connector's tasks and their transforms publish. */
    public Set<String> metricNames(String connectorName) throws Exception {
        Set<String> metrics = new java.util.TreeSet<>();
        for (ObjectName name : names(connectorName)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                metrics.add(attribute.getName());
            }
        }
        return metrics;
    }

    private Double sum(String connectorName, String alias, String metric) throws Exception {
        Double total = null;
        for (ObjectName name : names(connectorName)) {
            boolean taskLevel = TASK_KEYS.containsAll(name.getKeyPropertyList().keySet());
            boolean ofAlias = alias != null && name.getKeyPropertyList().containsValue(alias);
            if (alias == null ? !taskLevel : !ofAlias) {
                continue;
            }
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (attribute.getName().equals(metric)) {
                    double value = ((Number) server.getAttribute(name, metric)).doubleValue();
                    total = total == null ? value : total + value;
                }
            }
        }
        return total;
    }

    private List<ObjectName> names(String connectorName) throws Exception {
        return names("kafka.connect:type=plugins,*", connectorName);
    }

    private List<ObjectName> names(String pattern, String connectorName) throws Exception {
        List<ObjectName> names = new ArrayList<>();
        for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
            String connectorKey = name.getKeyProperty("connector");
            if (connectorKey != null && (connectorKey.equals(connectorName) || connectorKey.equals(ObjectName.quote(connectorName)))) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
