package io.orderflow.source;

import io.orderflow.common.Version;
import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.config.SourceReader;
import io.orderflow.source.jdbc.JdbcOrderReader;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Hands polling to the configured reader: {@link GeneratorReader} or {@link JdbcOrderReader}. */
public class OrderSourceTask extends SourceTask {

    private final CountDownLatch stopping = new CountDownLatch(1);
    private OrderReader reader;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        OrderSourceTaskConfig config = new OrderSourceTaskConfig(props);
        SourceMetrics metrics = new SourceMetrics(PluginInstruments.forTask(context));
        reader = config.jdbc().reader() == SourceReader.JDBC
                ? new JdbcOrderReader(config, context.offsetStorageReader(), metrics, this::idle)
                : new GeneratorReader(config, context.offsetStorageReader(), metrics, this::idle);
    }

    @Override
    public List<SourceRecord> poll() {
        return reader.poll();
    }

    @Override
    public void stop() {
        stopping.countDown();
        if (reader != null) {
            reader.close();
        }
    }

    private boolean idle(long millis) {
        try {
            return !stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
