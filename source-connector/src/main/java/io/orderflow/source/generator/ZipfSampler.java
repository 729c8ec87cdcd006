package io.orderflow.source.generator;

import java.util.Arrays;

/**
 * Draws ranks 1..n with probability proportional to {@code 1 / rank^exponent}: a few customers order a lot,
 * most order rarely. Exponent 0 is uniform.
 *
 * <p>The cumulative table is computed with {@link StrictMath} so that every JVM on every platform builds the
 * same table and a seed gives the same customers everywhere.
 */
final class ZipfSampler {

    private final double[] cumulative;

    ZipfSampler(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("population must be at least 1, was " + n);
        }
        cumulative = new double[n];
        double total = 0;
        for (int rank = 1; rank <= n; rank++) {
            total += 1.0 / StrictMath.pow(rank, exponent);
            cumulative[rank - 1] = total;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= total;
        }
        cumulative[n - 1] = 1.0;
    }

    /** @param uniform a draw in [0, 1); returns a rank in 1..n */
    int rank(double uniform) {
        int index = Arrays.binarySearch(cumulative, uniform);
        // binarySearch returns (-(insertion point) - 1) when absent; the insertion point is the first bucket above.
        int bucket = index >= 0 ? index + 1 : -index - 1;
        return Math.min(bucket, cumulative.length - 1) + 1;
    }

    int population() {
        return cumulative.length;
    }
}
