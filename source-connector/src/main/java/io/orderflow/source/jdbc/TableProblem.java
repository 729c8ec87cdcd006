package io.orderflow.source.jdbc;

/** A configuration the database refuses, reported on the option that causes it. */
public final class TableProblem extends Exception {

    private final String option;

    public TableProblem(String option, String message) {
        super(message);
        this.option = option;
    }

    public TableProblem(String option, String message, Throwable cause) {
        super(message, cause);
        this.option = option;
    }

    /** The option a user changes to fix it. */
    public String option() {
        return option;
    }
}
