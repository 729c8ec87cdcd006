package io.orderflow.smt.predicate;

import io.orderflow.smt.predicate.ExpressionTokens.Kind;
import io.orderflow.smt.predicate.ExpressionTokens.Token;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.transforms.field.FieldSyntaxVersion;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses {@code FieldMatches} expressions, once, at configure time:
 *
 * <pre>
 * expression := or
 * or         := and (('||' | 'or') and)*
 * and        := unary (('&amp;&amp;' | 'and') unary)*
 * unary      := ('!' | 'not') unary | '(' or ')' | condition
 * condition  := field ('==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') literal
 *             | field ['not'] 'in' '(' literal (',' literal)* ')'
 *             | field '=~' 'regex'
 *             | field 'is' ['not'] ('null' | 'missing')
 * literal    := 'text' | number | true | false
 * </pre>
 *
 * Errors name the position (0-based character offset) and what was expected there.
 */
final class ExpressionParser {

    private final String text;
    private final FieldSyntaxVersion version;
    private final boolean failOnMissing;
    private final List<Token> tokens;
    private int next;

    private ExpressionParser(String text, FieldSyntaxVersion version, boolean failOnMissing) {
        this.text = text;
        this.version = version;
        this.failOnMissing = failOnMissing;
        this.tokens = ExpressionTokens.tokenize(text);
    }

    static Expression parse(String text, FieldSyntaxVersion version, boolean failOnMissing) {
        ExpressionParser parser = new ExpressionParser(text == null ? "" : text, version, failOnMissing);
        Expression expression = parser.or();
        Token end = parser.peek();
        if (end.kind() != Kind.END) {
            throw parser.error(end, "unexpected '" + end.text() + "'; expected '&&', '||' or the end");
        }
        return expression;
    }

    private Expression or() {
        Expression left = and();
        while (peek().is("||") || peek().is("or")) {
            next++;
            left = new Expression.Or(left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = unary();
        while (peek().is("&&") || peek().is("and")) {
            next++;
            left = new Expression.And(left, unary());
        }
        return left;
    }

    private Expression unary() {
        Token token = peek();
        if (token.is("!") || token.is("not")) {
            next++;
            return new Expression.Not(unary());
        }
        if (token.is("(")) {
            next++;
            Expression inner = or();
            expect(")", "to close the '(' at position " + token.position());
            return inner;
        }
        return condition();
    }

    private Expression condition() {
        Token fieldToken = take();
        if (fieldToken.kind() != Kind.FIELD) {
            throw error(fieldToken, "expected a field name, found " + describe(fieldToken));
        }
        Operand operand;
        try {
            operand = Operand.parse(fieldToken.text(), version);
        } catch (ConfigException e) {
            throw error(fieldToken, e.getMessage());
        }
        Token op = take();
        for (Expression.Comparator comparator : Expression.Comparator.values()) {
            if (op.is(comparator.symbol)) {
                Token literalToken = peek();
                Object literal = literal();
                boolean ordering = comparator != Expression.Comparator.EQ && comparator != Expression.Comparator.NE;
                if (ordering && literal instanceof Boolean) {
                    throw error(literalToken, "'" + comparator.symbol + "' needs a number or text, not a boolean");
                }
                return new Expression.Compare(operand, comparator, literal, failOnMissing);
            }
        }
        if (op.is("in")) {
            return new Expression.In(operand, list(), false, failOnMissing);
        }
        if (op.is("not")) {
            expect("in", "after 'not' (as in: field not in ('A', 'B'))");
            return new Expression.In(operand, list(), true, failOnMissing);
        }
        if (op.is("=~")) {
            Token regex = take();
            if (regex.kind() != Kind.STRING) {
                throw error(regex, "expected a quoted regular expression after '=~'");
            }
            try {
                return new Expression.Matches(operand, Pattern.compile(regex.text()), failOnMissing);
            } catch (PatternSyntaxException e) {
                throw error(regex, "invalid regular expression: " + e.getDescription());
            }
        }
        if (op.is("is")) {
            boolean negated = peek().is("not");
            if (negated) {
                next++;
            }
            Token what = take();
            if (what.is("null") || what.is("missing")) {
                return new Expression.IsAbsent(operand, what.is("missing"), negated);
            }
            throw error(what, "expected 'null' or 'missing' after 'is'");
        }
        throw error(op, "expected an operator (==, !=, <, <=, >, >=, in, not in, =~, is) after '" + fieldToken.text()
                + "', found " + describe(op));
    }

    private List<Object> list() {
        expect("(", "to open the list");
        List<Object> literals = new ArrayList<>();
        literals.add(literal());
        while (peek().is(",")) {
            next++;
            literals.add(literal());
        }
        expect(")", "to close the list");
        return List.copyOf(literals);
    }

    private Object literal() {
        Token token = take();
        return switch (token.kind()) {
            case STRING -> token.text();
            case NUMBER -> new BigDecimal(token.text());
            case WORD -> {
                if (token.is("true") || token.is("false")) {
                    yield Boolean.parseBoolean(token.text().toLowerCase(Locale.ROOT));
                }
                if (token.is("null")) {
                    throw error(token, "compare with null using 'is null' or 'is not null'");
                }
                throw error(token, "expected a literal ('text', a number, true or false), found " + describe(token));
            }
            case FIELD -> throw error(token, "expected a literal, found field '" + token.text()
                    + "' (quote text literals: '" + token.text() + "')");
            default -> throw error(token, "expected a literal ('text', a number, true or false), found " + describe(token));
        };
    }

    private void expect(String symbol, String why) {
        Token token = take();
        if (!token.is(symbol)) {
            throw error(token, "expected '" + symbol + "' " + why + ", found " + describe(token));
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private static String describe(Token token) {
        return token.kind() == Kind.END ? "the end of the expression" : "'" + token.text() + "'";
    }

    private ConfigException error(Token token, String message) {
        return new ConfigException("Invalid expression at position " + token.position() + ": " + message
                + " -- in: " + text);
    }
}
