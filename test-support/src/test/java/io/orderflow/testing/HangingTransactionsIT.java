package io.orderflow.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Against a real KRaft broker: a transaction that is merely in progress, one committed and one aborted are none of
 * them hanging; the coordinator's decision is read back from its log; and a record written again before its
 * transaction is aborted on its partition reaches read_committed readers exactly once. (A hanging transaction cannot
 * be made on purpose; {@code PipelineFaultsIT} meets real ones after a broker restart.)
 */
class HangingTransactionsIT {

    private static ConnectStack stack;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        stack = ConnectStack.start("hanging-transactions", 0);
        stack.createTopic("orders", 3);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        Resources.closeAll(admin, stack);
    }

    @Test
    void openCommittedAndAbortedTransactionsAreNotHangingAndTheirOutcomeIsRead() throws Exception {
        try (KafkaProducer<String, String> open = producer("open"); KafkaProducer<String, String> done = producer("done")) {
            open.beginTransaction();
            open.send(new ProducerRecord<>("orders", 0, "o-1", "CREATED")).get();
            open.send(new ProducerRecord<>("orders", 1, "o-2", "CREATED")).get();
            done.beginTransaction();
            done.send(new ProducerRecord<>("orders", 0, "o-3", "CREATED")).get();
            HangingTransactions.Hanging committed = asIfHanging(new TopicPartition("orders", 0), "done");
            done.commitTransaction();
            done.beginTransaction();
            done.send(new ProducerRecord<>("orders", 1, "o-4", "CREATED")).get();
            HangingTransactions.Hanging aborted = asIfHanging(new TopicPartition("orders", 1), "done");
            done.abortTransaction();

            assertEquals(List.of(), HangingTransactions.find(admin, Duration.ofSeconds(1)));
            assertEquals(new HangingTransactions.Decision(HangingTransactions.Outcome.COMMIT, Set.of(new TopicPartition("orders", 0))),
                    HangingTransactions.decision(stack.bootstrapServers(), committed));
            assertEquals(new HangingTransactions.Decision(HangingTransactions.Outcome.ABORT, Set.of(new TopicPartition("orders", 1))),
                    HangingTransactions.decision(stack.bootstrapServers(), aborted));
            open.commitTransaction();
            assertEquals(List.of(), HangingTransactions.find(admin, Duration.ofSeconds(1)));
        }
    }

    @Test
    void aCommitByCopyIsReadOnceAndTheOriginalNever() throws Exception {
        TopicPartition partition = new TopicPartition("orders", 2);
        try (KafkaProducer<String, String> stuck = producer("stuck")) {
            stuck.beginTransaction();
            stuck.send(new ProducerRecord<>("orders", 2, "o-5", "PAID")).get();
            HangingTransactions.commitByCopy(admin, stack.bootstrapServers(), asIfHanging(partition, "stuck"));
            assertEquals(List.of("o-5=PAID"), readCommitted(partition));
        }
    }

    /** The open transaction of the producer on the partition, described as find() describes a hanging one. */
    private static HangingTransactions.Hanging asIfHanging(TopicPartition partition, String transactionalId) throws Exception {
        long producerId = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().producerId();
        ProducerState state = admin.describeProducers(List.of(partition)).partitionResult(partition).get().activeProducers()
                .stream().filter(p -> p.producerId() == producerId && p.currentTransactionStartOffset().isPresent())
                .findFirst().orElseThrow();
        return new HangingTransactions.Hanging(partition, state.producerId(), state.producerEpoch(),
                state.coordinatorEpoch().orElse(-1), state.currentTransactionStartOffset().getAsLong(), state.lastSequence(),
                transactionalId, "open");
    }

    private static List<String> readCommitted(TopicPartition partition) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            TopicToEnd.read(consumer, Duration.ofSeconds(30), record -> seen.add(record.key() + "=" + record.value()));
        }
        return seen;
    }

    private static KafkaProducer<String, String> producer(String transactionalId) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId), new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }
}
