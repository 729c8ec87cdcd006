package io.orderflow.source.generator;

import java.util.List;

/** Settings for generator unit tests, with a short lifecycle so streams stay small. */
final class TestSettings {

    static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private TestSettings() {
    }

    static OrderProfile profile(double lateFraction, long lateMaxMs) {
        return new OrderProfile(1_000, 1.1, 45.0, 0.8, 10_000.0,
                CurrencyMix.parse(List.of("USD:6", "EUR:3", "GBP:1")),
                0.1, 0.05, 500, 3_000, lateFraction, lateMaxMs);
    }

    static GeneratorSettings settings(long seed, int task, int tasks, long maxOrders) {
        return new GeneratorSettings(seed, task, tasks, maxOrders, START_MS, 20_000, profile(0.05, 4_000));
    }
}
