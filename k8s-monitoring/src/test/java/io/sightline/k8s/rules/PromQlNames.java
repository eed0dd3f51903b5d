package io.sightline.k8s.rules;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names and label names a PromQL expression uses: selectors' metric names, label matchers, and the
 * label lists of by/without/on/ignoring/group_left/group_right. A small scanner, enough for the rules of this
 * repository: strings, durations and numbers are skipped, function and aggregation names are recognised by the
 * parenthesis that follows them.
 */
final class PromQlNames {

    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Set<String> AGGREGATION_MODIFIERS = Set.of("by", "without");
    private static final Set<String> KEYWORDS =
            Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "group_left", "group_right");

    final Set<String> metrics = new TreeSet<>();
    final Set<String> labels = new TreeSet<>();

    private final String expr;
    private int pos;

    private PromQlNames(String expr) {
        this.expr = expr;
    }

    static PromQlNames of(String expr) {
        PromQlNames names = new PromQlNames(expr);
        names.scan();
        return names;
    }

    private void scan() {
        while (pos < expr.length()) {
            char c = expr.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '[') {
                skipPast(']');
            } else if (c == '{') {
                pos++;
                readMatchers();
            } else if (Character.isDigit(c)
                    || (c == '.' && pos + 1 < expr.length() && Character.isDigit(expr.charAt(pos + 1)))) {
                while (pos < expr.length()
                        && (Character.isLetterOrDigit(expr.charAt(pos)) || expr.charAt(pos) == '.')) {
                    pos++;
                }
            } else if (isIdentifierStart(c)) {
                String identifier = readIdentifier();
                char next = peekNonSpace();
                if (LABEL_LIST_KEYWORDS.contains(identifier) && next == '(') {
                    skipSpaces();
                    pos++;
                    readLabelList();
                } else if (next == '('
                        || KEYWORDS.contains(identifier.toLowerCase(Locale.ROOT))
                        || AGGREGATION_MODIFIERS.contains(peekWord())) {
                    // a function or an aggregation (also `sum by (...) (...)`); its arguments are scanned next
                } else {
                    metrics.add(identifier);
                }
            } else {
                pos++;
            }
        }
    }

    /** name op "value", ... up to the closing brace */
    private void readMatchers() {
        while (pos < expr.length()) {
            skipSpaces();
            char c = expr.charAt(pos);
            if (c == '}') {
                pos++;
                return;
            }
            if (c == ',') {
                pos++;
            } else if (isIdentifierStart(c)) {
                labels.add(readIdentifier());
            } else if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else {
                pos++;
            }
        }
    }

    private void readLabelList() {
        while (pos < expr.length() && expr.charAt(pos) != ')') {
            char c = expr.charAt(pos);
            if (isIdentifierStart(c)) {
                labels.add(readIdentifier());
            } else {
                pos++;
            }
        }
        pos++;
    }

    private String readIdentifier() {
        int start = pos;
        while (pos < expr.length()
                && (Character.isLetterOrDigit(expr.charAt(pos))
                        || expr.charAt(pos) == '_'
                        || expr.charAt(pos) == ':')) {
            pos++;
        }
        return expr.substring(start, pos);
    }

    private void skipString(char quote) {
        pos++;
        while (pos < expr.length() && expr.charAt(pos) != quote) {
            pos += expr.charAt(pos) == '\\' && quote != '`' ? 2 : 1;
        }
        pos++;
    }

    private void skipPast(char end) {
        while (pos < expr.length() && expr.charAt(pos) != end) {
            pos++;
        }
        pos++;
    }

    private char peekNonSpace() {
        int i = pos;
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i < expr.length() ? expr.charAt(i) : '\0';
    }

    /** The identifier after the current position and any spaces, or "" (nothing consumed). */
    private String peekWord() {
        int saved = pos;
        skipSpaces();
        String word = pos < expr.length() && isIdentifierStart(expr.charAt(pos)) ? readIdentifier() : "";
        pos = saved;
        return word;
    }

    private void skipSpaces() {
        while (pos < expr.length() && Character.isWhitespace(expr.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }
}
