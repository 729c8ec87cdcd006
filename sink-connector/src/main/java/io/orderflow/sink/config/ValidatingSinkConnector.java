package io.orderflow.sink.config;

import io.orderflow.common.config.CrossFieldValidation;
import io.orderflow.common.config.FieldError;
import io.orderflow.common.Version;
import io.orderflow.sink.convert.OutageWaitChecks;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What orderflow's sink connectors share: every task gets the connector's configuration, which is checked at
 * start, and validate() reports cross-field problems on the option each concerns, the worker's options that a
 * {@link io.orderflow.sink.convert.RegistryOutageConverter} depends on included.
 */
public abstract class ValidatingSinkConnector extends SinkConnector {

    private Map<String, String> props;

    /** Parses the configuration, throwing a ConfigException that names the bad option. */
    protected abstract void parse(Map<String, String> props);

    /** Problems that involve several options, over those that parsed. */
    protected abstract List<FieldError> crossFieldErrors(Map<String, Object> parsed);

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        parse(props);
        CrossFieldValidation.requireNone(OutageWaitChecks.errors(props), props);
        this.props = Map.copyOf(props);
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(props);
        }
        return configs;
    }

    @Override
    public void stop() {
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = CrossFieldValidation.apply(super.validate(connectorConfigs), this::crossFieldErrors);
        return CrossFieldValidation.addErrors(result, OutageWaitChecks.errors(connectorConfigs));
    }
}
