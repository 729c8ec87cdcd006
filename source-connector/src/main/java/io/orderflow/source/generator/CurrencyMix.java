package io.orderflow.source.generator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;

/**
 * Weighted currency choice, parsed from entries such as {@code USD:6}, {@code EUR:3} or a bare {@code GBP}
 * (weight 1). Codes must be ISO 4217.
 */
public final class CurrencyMix {

    private final List<String> codes;
    private final double[] cumulative;

    private CurrencyMix(List<String> codes, double[] cumulative) {
        this.codes = codes;
        this.cumulative = cumulative;
    }

    /**
     * @throws IllegalArgumentException naming the bad entry when a code is not ISO 4217 or a weight is not a
     *                                  positive number
     */
    public static CurrencyMix parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new IllegalArgumentException("at least one currency is required");
        }
        List<String> codes = new ArrayList<>(entries.size());
        double[] cumulative = new double[entries.size()];
        double total = 0;
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            int colon = entry.indexOf(':');
            String code = (colon < 0 ? entry : entry.substring(0, colon)).trim();
            double weight = colon < 0 ? 1.0 : parseWeight(entry, entry.substring(colon + 1).trim());
            if (!isIsoCurrency(code)) {
                throw new IllegalArgumentException("'" + entry + "': '" + code + "' is not an ISO 4217 currency code");
            }
            if (codes.contains(code)) {
                throw new IllegalArgumentException("'" + entry + "': currency " + code + " is listed twice");
            }
            codes.add(code);
            total += weight;
            cumulative[i] = total;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
        cumulative[cumulative.length - 1] = 1.0;
        return new CurrencyMix(Collections.unmodifiableList(codes), cumulative);
    }

    /** @param uniform a draw in [0, 1) */
    public String pick(double uniform) {
        for (int i = 0; i < cumulative.length; i++) {
            if (uniform < cumulative[i]) {
                return codes.get(i);
            }
        }
        return codes.get(codes.size() - 1);
    }

    public List<String> codes() {
        return codes;
    }

    private static double parseWeight(String entry, String text) {
        try {
            double weight = Double.parseDouble(text);
            if (weight > 0 && Double.isFinite(weight)) {
                return weight;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the entry
        }
        throw new IllegalArgumentException("'" + entry + "': weight '" + text + "' must be a positive number");
    }

    private static boolean isIsoCurrency(String code) {
        if (code.length() != 3 || !code.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
