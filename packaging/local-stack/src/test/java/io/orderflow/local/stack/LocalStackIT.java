package io.orderflow.local.stack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's first command in its bounded form, exactly as a user runs it: separate broker, S3Proxy and worker
 * processes, the built archive installed on the worker, the shipped configs deployed through deploy.sh, and the
 * exit code that says whether every event reached the raw table once and the summary equals the raw table's; once with
 * the JSON configs, once with the Avro ones through a real schema registry.
 */
class LocalStackIT {

    @Test
    void aBoundedRunHoldsEveryEventOnceAndAnExactSummary() throws Exception {
        int restPort = StackProcesses.freePort();
        assertEquals(0, LocalStack.run(new String[] {"--orders", "300", "--rate", "100", "--rest-port", Integer.toString(restPort)}),
                "the bounded local stack reported a mismatch; its output above has the result line and the run directory");
    }

    /** The same with --avro: a schema registry process too, and the Avro configs, through the converter the archive bundles. */
    @Test
    void aBoundedAvroRunThroughARealSchemaRegistryHoldsToo() throws Exception {
        int restPort = StackProcesses.freePort();
        assertEquals(0, LocalStack.run(new String[] {"--orders", "300", "--rate", "100", "--avro", "--rest-port",
                Integer.toString(restPort)}), "the bounded Avro stack reported a mismatch; see its output above");
    }
}
