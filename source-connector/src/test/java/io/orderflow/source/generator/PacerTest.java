package io.orderflow.source.generator;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest {

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    @Test
    void grantsTheConfiguredRate() {
        Pacer pacer = new Pacer(100, nanos::get);
        int granted = 0;
        for (int ms = 0; ms < 2_000; ms++) {
            while (pacer.tryAcquire()) {
                granted++;
            }
            nanos.addAndGet(1_000_000);
        }
        assertEquals(200, granted, 1);
    }

    @Test
    void tellsHowLongToWait() {
        Pacer pacer = new Pacer(10, nanos::get);
        assertTrue(pacer.tryAcquire());
        assertFalse(pacer.tryAcquire());
        assertEquals(100_000_000L, pacer.nanosUntilNextPermit());
        nanos.addAndGet(100_000_000L);
        assertEquals(0, pacer.nanosUntilNextPermit());
        assertTrue(pacer.tryAcquire());
    }

    @Test
    void backlogAfterAStallIsCappedAtOneSecond() {
        Pacer pacer = new Pacer(50, nanos::get);
        assertTrue(pacer.tryAcquire());
        nanos.addAndGet(60_000_000_000L);
        int burst = 0;
        while (pacer.tryAcquire()) {
            burst++;
        }
        assertEquals(50, burst);
    }

    @Test
    void zeroRateIsUnpaced() {
        Pacer pacer = new Pacer(0, nanos::get);
        for (int i = 0; i < 1_000_000; i++) {
            assertTrue(pacer.tryAcquire());
        }
        assertEquals(0, pacer.nanosUntilNextPermit());
    }
}
