package io.orderflow.smt.predicate;

import org.apache.kafka.common.config.ConfigException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Splits a {@code FieldMatches} expression into tokens for {@link ExpressionParser}, each with its position. */
final class ExpressionTokens {

    enum Kind { FIELD, STRING, NUMBER, WORD, SYMBOL, END }

    record Token(Kind kind, String text, int position) {
        boolean is(String symbolOrWord) {
            return (kind == Kind.SYMBOL || kind == Kind.WORD) && text.equalsIgnoreCase(symbolOrWord);
        }
    }

    private static final List<String> SYMBOLS = List.of("&&", "||", "==", "!=", "<=", ">=", "=~", "<", ">", "!", "(", ")", ",");
    private static final List<String> WORDS = List.of("and", "or", "not", "in", "is", "null", "missing", "true", "false");

    private ExpressionTokens() {
    }

    static List<Token> tokenize(String input) {
        List<Token> result = new ArrayList<>();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i = string(input, i, result);
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < input.length() && Character.isDigit(input.charAt(i + 1)))) {
                i = number(input, i, result);
            } else if (Character.isLetter(c) || c == '_' || c == '$' || c == '`') {
                i = word(input, i, result);
            } else {
                int start = i;
                String symbol = SYMBOLS.stream().filter(s -> input.startsWith(s, start)).findFirst()
                        .orElseThrow(() -> new ConfigException("Invalid expression at position " + start
                                + ": unexpected character '" + input.charAt(start) + "' -- in: " + input));
                result.add(new Token(Kind.SYMBOL, symbol, i));
                i += symbol.length();
            }
        }
        result.add(new Token(Kind.END, "", input.length()));
        return result;
    }

    private static int string(String input, int start, List<Token> result) {
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '\\' && i + 1 < input.length()) {
                value.append(input.charAt(i + 1));
                i += 2;
            } else if (c == '\'' && i + 1 < input.length() && input.charAt(i + 1) == '\'') {
                value.append('\'');
                i += 2;
            } else if (c == '\'') {
                result.add(new Token(Kind.STRING, value.toString(), start));
                return i + 1;
            } else {
                value.append(c);
                i++;
            }
        }
        throw new ConfigException("Invalid expression at position " + start + ": text literal is not closed -- in: " + input);
    }

    private static int number(String input, int start, List<Token> result) {
        int i = start + 1;
        while (i < input.length() && (Character.isDigit(input.charAt(i)) || input.charAt(i) == '.'
                || input.charAt(i) == 'e' || input.charAt(i) == 'E'
                || ((input.charAt(i) == '+' || input.charAt(i) == '-') && (input.charAt(i - 1) == 'e' || input.charAt(i - 1) == 'E')))) {
            i++;
        }
        String number = input.substring(start, i);
        try {
            new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid expression at position " + start + ": '" + number + "' is not a number -- in: " + input);
        }
        result.add(new Token(Kind.NUMBER, number, start));
        return i;
    }

    /** A field path (with dots and backtick-quoted names) or a keyword. */
    private static int word(String input, int start, List<Token> result) {
        int i = start;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '`') {
                int close = i + 1;
                while (close < input.length() && !(input.charAt(close) == '`' && input.charAt(close - 1) != '\\')) {
                    close++;
                }
                if (close >= input.length()) {
                    throw new ConfigException("Invalid expression at position " + i + ": backtick is not closed -- in: " + input);
                }
                i = close + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c == '-') {
                i++;
            } else {
                break;
            }
        }
        String word = input.substring(start, i);
        boolean keyword = WORDS.contains(word.toLowerCase(Locale.ROOT));
        result.add(new Token(keyword ? Kind.WORD : Kind.FIELD, word, start));
        return i;
    }
}
