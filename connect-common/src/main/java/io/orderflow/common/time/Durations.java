package io.orderflow.common.time;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}, {@code 1d} or ISO-8601 {@code PT1M}. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 500ms, 5s, 1m, 1h, 1d or PT1M");
        }
    }

    /** Accepts durations of at least {@code min}. */
    public static ConfigDef.Validator atLeast(Duration min) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                Duration duration;
                try {
                    duration = parse((String) value);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
                if (duration.compareTo(min) < 0) {
                    throw new ConfigException(name, value, "must be at least " + min.toMillis() + " ms");
                }
            }

            @Override
            public String toString() {
                return "a duration such as 500ms, 5s, 1m, 1h, 1d or PT1M, at least " + min.toMillis() + " ms";
            }
        };
    }
}
