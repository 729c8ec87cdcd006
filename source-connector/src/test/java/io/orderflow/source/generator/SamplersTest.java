package io.orderflow.source.generator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplersTest {

    @Test
    void zipfFavoursLowRanksAndStaysInRange() {
        ZipfSampler zipf = new ZipfSampler(1_000, 1.1);
        int[] counts = new int[1_001];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            int rank = zipf.rank(random.nextDouble());
            assertTrue(rank >= 1 && rank <= 1_000, "rank " + rank);
            counts[rank]++;
        }
        assertTrue(counts[1] > counts[2] && counts[2] > counts[10] && counts[10] > counts[500]);
        // rank 1 carries 1/H(1000, 1.1) ~ 19 % of the mass
        assertTrue(counts[1] > 15_000 && counts[1] < 23_000, "rank 1 drew " + counts[1]);
        assertEquals(1, zipf.rank(0.0));
        assertEquals(1_000, zipf.rank(Math.nextDown(1.0)));
    }

    @Test
    void zipfExponentZeroIsUniform() {
        ZipfSampler uniform = new ZipfSampler(4, 0.0);
        assertEquals(1, uniform.rank(0.1));
        assertEquals(2, uniform.rank(0.3));
        assertEquals(3, uniform.rank(0.6));
        assertEquals(4, uniform.rank(0.9));
    }

    @Test
    void currencyMixHonoursWeights() {
        CurrencyMix mix = CurrencyMix.parse(List.of("USD:6", "EUR:3", " GBP "));
        assertEquals(List.of("USD", "EUR", "GBP"), mix.codes());
        assertEquals("USD", mix.pick(0.59));
        assertEquals("EUR", mix.pick(0.61));
        assertEquals("GBP", mix.pick(0.95));
    }

    @Test
    void currencyMixNamesTheBadEntry() {
        IllegalArgumentException notIso = assertThrows(IllegalArgumentException.class,
                () -> CurrencyMix.parse(List.of("USD", "XYZ:2")));
        assertTrue(notIso.getMessage().contains("XYZ"), notIso.getMessage());
        IllegalArgumentException badWeight = assertThrows(IllegalArgumentException.class,
                () -> CurrencyMix.parse(List.of("EUR:-1")));
        assertTrue(badWeight.getMessage().contains("EUR:-1"), badWeight.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CurrencyMix.parse(List.of("usd")));
        assertThrows(IllegalArgumentException.class, () -> CurrencyMix.parse(List.of("USD", "USD")));
        assertThrows(IllegalArgumentException.class, () -> CurrencyMix.parse(List.of()));
    }
}
