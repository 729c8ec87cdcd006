package io.orderflow.common.config;

/** A cross-field problem, reported on the option it concerns. */
public record FieldError(String name, String message) {
}
