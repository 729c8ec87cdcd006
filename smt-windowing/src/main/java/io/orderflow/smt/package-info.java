/**
 * orderflow single-message transforms and predicates (FieldMatches, Enrich, TumblingWindow).
 *
 * <p>Placeholder module: the code arrives with its own issue (see ARCHITECTURE.md for the design).
 */
package io.orderflow.smt;
