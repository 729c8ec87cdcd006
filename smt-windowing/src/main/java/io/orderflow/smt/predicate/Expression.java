package io.orderflow.smt.predicate;

import io.orderflow.common.field.FieldPath;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed {@code FieldMatches} expression. Comparisons follow SQL's treatment of nulls: a comparison with a
 * null value is false, and so is one with a missing field unless the predicate is set to fail on those;
 * {@code is null} and {@code is missing} test for them explicitly.
 */
sealed interface Expression {

    boolean test(Object key, Object value);

    record And(Expression left, Expression right) implements Expression {
        @Override
        public boolean test(Object key, Object value) {
            return left.test(key, value) && right.test(key, value);
        }
    }

    record Or(Expression left, Expression right) implements Expression {
        @Override
        public boolean test(Object key, Object value) {
            return left.test(key, value) || right.test(key, value);
        }
    }

    record Not(Expression inner) implements Expression {
        @Override
        public boolean test(Object key, Object value) {
            return !inner.test(key, value);
        }
    }

    /** {@code field is [not] null} or {@code field is [not] missing}. */
    record IsAbsent(Operand operand, boolean missing, boolean negated) implements Expression {
        @Override
        public boolean test(Object key, Object value) {
            Object found = operand.read(key, value);
            boolean absent = missing ? found == FieldPath.MISSING : found == null;
            return absent != negated;
        }
    }

    /** A condition on one present, non-null value. */
    abstract sealed class ValueCondition implements Expression permits Compare, In, Matches {
        final Operand operand;
        private final boolean failOnMissing;

        ValueCondition(Operand operand, boolean failOnMissing) {
            this.operand = operand;
            this.failOnMissing = failOnMissing;
        }

        @Override
        public final boolean test(Object key, Object value) {
            Object found = operand.read(key, value);
            if (found == FieldPath.MISSING) {
                if (failOnMissing) {
                    throw new DataException("Field '" + operand.text() + "' is missing from the record");
                }
                return false;
            }
            return found != null && holds(found);
        }

        abstract boolean holds(Object found);
    }

    enum Comparator {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        boolean accepts(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }
    }

    final class Compare extends ValueCondition {
        private final Comparator comparator;
        private final Object literal;

        Compare(Operand operand, Comparator comparator, Object literal, boolean failOnMissing) {
            super(operand, failOnMissing);
            this.comparator = comparator;
            this.literal = literal;
        }

        @Override
        boolean holds(Object found) {
            return comparator.accepts(Values.compare(found, literal, operand, comparator != Comparator.EQ && comparator != Comparator.NE));
        }
    }

    final class In extends ValueCondition {
        private final List<Object> literals;
        private final boolean negated;

        In(Operand operand, List<Object> literals, boolean negated, boolean failOnMissing) {
            super(operand, failOnMissing);
            this.literals = literals;
            this.negated = negated;
        }

        @Override
        boolean holds(Object found) {
            for (Object literal : literals) {
                if (Values.compare(found, literal, operand, false) == 0) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    final class Matches extends ValueCondition {
        private final Pattern pattern;

        Matches(Operand operand, Pattern pattern, boolean failOnMissing) {
            super(operand, failOnMissing);
            this.pattern = pattern;
        }

        @Override
        boolean holds(Object found) {
            return pattern.matcher(found instanceof String s ? s : String.valueOf(found)).matches();
        }
    }

    /** Comparison of a record value with a literal (String, BigDecimal or Boolean). */
    final class Values {
        private Values() {
        }

        /**
         * @param ordering whether the caller needs an order (less/greater), not just equality
         * @throws DataException naming the field when the value cannot be compared with the literal
         */
        static int compare(Object found, Object literal, Operand operand, boolean ordering) {
            if (literal instanceof BigDecimal number) {
                return toNumber(found, operand).compareTo(number);
            }
            if (literal instanceof Boolean bool) {
                if (found instanceof Boolean b) {
                    return b.equals(bool) ? 0 : 1;
                }
                throw notComparable(found, literal, operand);
            }
            String text = (String) literal;
            if (found instanceof String s) {
                return s.compareTo(text);
            }
            if (ordering) {
                throw notComparable(found, literal, operand);
            }
            return String.valueOf(found).equals(text) ? 0 : 1;
        }

        private static BigDecimal toNumber(Object found, Operand operand) {
            if (found instanceof BigDecimal d) {
                return d;
            }
            if (found instanceof Long || found instanceof Integer || found instanceof Short || found instanceof Byte) {
                return BigDecimal.valueOf(((Number) found).longValue());
            }
            if (found instanceof Double || found instanceof Float) {
                double d = ((Number) found).doubleValue();
                if (Double.isFinite(d)) {
                    return BigDecimal.valueOf(d);
                }
            }
            if (found instanceof Date date) {
                return BigDecimal.valueOf(date.getTime());
            }
            if (found instanceof String s) {
                try {
                    return new BigDecimal(s.trim());
                } catch (NumberFormatException e) {
                    throw new DataException("Field '" + operand.text() + "' value '" + s + "' is not numeric");
                }
            }
            throw new DataException("Field '" + operand.text() + "' of type " + found.getClass().getSimpleName()
                    + " (value " + found + ") cannot be compared with a number");
        }

        private static DataException notComparable(Object found, Object literal, Operand operand) {
            return new DataException("Field '" + operand.text() + "' of type " + found.getClass().getSimpleName()
                    + " (value " + found + ") cannot be compared with " + literal);
        }
    }
}
