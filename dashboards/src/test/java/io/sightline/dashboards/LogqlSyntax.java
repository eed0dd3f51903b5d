package io.sightline.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A syntax checker for the subset of LogQL the Sightline dashboards use. There is no Loki binary on the build
 * machines, so this stands in for Loki's parser; it follows the grammar and rules of Loki's documentation
 * (https://grafana.com/docs/loki/latest/query/) for what it accepts and rejects everything else, so a
 * dashboard using a construct outside the subset fails here rather than passing unchecked.
 *
 * <p>Accepted:
 * <ul>
 *   <li>Stream selectors {@code {label op "value", ...}} with {@code = != =~ !~}; at least one {@code =} or
 *       {@code =~} matcher must not match the empty string (Loki rejects {@code {a=~".*"}}); regexes must
 *       compile.</li>
 *   <li>Line filters {@code |= != |~ !~} with a string; label filters {@code | label op value} with string
 *       operators or numeric comparisons, chained with {@code and}/{@code or}.</li>
 *   <li>Stages {@code | json} (optionally {@code label="path", ...}), {@code | logfmt}, {@code | line_format "tpl"},
 *       {@code | label_format label="tpl", ...}, {@code | unwrap label}, {@code | decolorize}; templates must have
 *       balanced {@code {{ }}}.</li>
 *   <li>Range aggregations ({@code count_over_time}, {@code rate}, {@code bytes_over_time}, {@code bytes_rate},
 *       {@code absent_over_time}, and the unwrapped {@code sum/avg/min/max/first/last/stddev/stdvar_over_time},
 *       {@code quantile_over_time}, {@code rate_counter}) over a log query with one {@code [duration]} range
 *       (after the selector or at the end); unwrapped ones need {@code | unwrap label} (optionally
 *       {@code duration()}/{@code bytes()}), followed only by label filters; line counters must not unwrap;
 *       {@code by/without} only on unwrapped ones other than sum_over_time, rate, rate_counter and
 *       absent_over_time.</li>
 *   <li>Vector aggregations ({@code sum avg min max count stddev stdvar topk bottomk sort sort_desc}) with
 *       {@code by/without} before or after the parentheses; {@code topk}/{@code bottomk} need a number.</li>
 *   <li>Binary operators between metric expressions and numbers, parentheses.</li>
 * </ul>
 * Not covered: {@code offset}, {@code on/ignoring}, {@code label_replace}, IP and duration/bytes literals in
 * label filters, {@code | pattern}, {@code | regexp}, {@code | drop/keep}. Java regexes approximate Go's RE2.
 */
public final class LogqlSyntax {

    /** A query Loki would refuse, with the column where the problem starts. */
    public static final class LogqlSyntaxException extends IllegalArgumentException {
        LogqlSyntaxException(String query, int position, String reason) {
            super("LogQL syntax error at column " + (position + 1) + ": " + reason + " in: " + query);
        }
    }

    /** Count lines or bytes; never an unwrapped label. */
    private static final Set<String> LOG_RANGE_FUNCTIONS = Set.of("count_over_time", "bytes_over_time", "bytes_rate");
    /** Need an unwrapped label. */
    private static final Set<String> UNWRAP_RANGE_FUNCTIONS = Set.of(
            "sum_over_time",
            "avg_over_time",
            "min_over_time",
            "max_over_time",
            "first_over_time",
            "last_over_time",
            "stddev_over_time",
            "stdvar_over_time",
            "quantile_over_time",
            "rate_counter");
    /** Work on log lines and on unwrapped labels. */
    private static final Set<String> EITHER_RANGE_FUNCTIONS = Set.of("rate", "absent_over_time");
    /** Unwrapped aggregations that take no by/without (Loki's metric query documentation). */
    private static final Set<String> UNGROUPABLE = Set.of("sum_over_time", "absent_over_time", "rate", "rate_counter");

    private static final Set<String> UNWRAP_CONVERSIONS = Set.of("duration", "duration_seconds", "bytes");
    private static final Set<String> VECTOR_AGGREGATIONS =
            Set.of("sum", "avg", "min", "max", "count", "stddev", "stdvar", "topk", "bottomk", "sort", "sort_desc");
    private static final Set<String> BINARY_KEYWORDS = Set.of("and", "or", "unless");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(ms|s|m|h|d|w|y))+");

    private enum Kind {
        IDENT,
        STRING,
        NUMBER,
        RANGE,
        OP,
        EOF
    }

    private record Token(Kind kind, String text, int position) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.IDENT) && text.equals(s);
        }
    }

    private final String query;
    private final List<Token> tokens;
    private int next;

    private LogqlSyntax(String query) {
        this.query = query;
        this.tokens = tokenize(query);
    }

    /**
     * Checks a LogQL query.
     *
     * @throws LogqlSyntaxException describing the first problem found
     */
    public static void check(String query) {
        LogqlSyntax parser = new LogqlSyntax(query);
        if (parser.peek().is("{")) {
            parser.logQuery(false);
        } else {
            parser.metricExpression();
        }
        parser.expect(Kind.EOF, "end of query");
    }

    // ---------------------------------------------------------------- grammar

    private void metricExpression() {
        metricOperand();
        while (isBinaryOperator(peek())) {
            next++;
            if (peek().is("bool")) {
                next++;
            }
            metricOperand();
        }
    }

    private boolean isBinaryOperator(Token t) {
        return (t.kind == Kind.OP
                        && Set.of("+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=")
                                .contains(t.text))
                || (t.kind == Kind.IDENT && BINARY_KEYWORDS.contains(t.text));
    }

    private void metricOperand() {
        Token t = peek();
        if (t.kind == Kind.NUMBER) {
            next++;
        } else if (t.is("-") || t.is("+")) {
            next++;
            metricOperand();
        } else if (t.is("(")) {
            next++;
            metricExpression();
            expectOp(")");
        } else if (t.kind == Kind.IDENT
                && (LOG_RANGE_FUNCTIONS.contains(t.text)
                        || UNWRAP_RANGE_FUNCTIONS.contains(t.text)
                        || EITHER_RANGE_FUNCTIONS.contains(t.text))) {
            rangeAggregation();
        } else if (t.kind == Kind.IDENT && VECTOR_AGGREGATIONS.contains(t.text)) {
            vectorAggregation();
        } else if (t.is("{")) {
            throw error(
                    t,
                    "a log query cannot be used where a metric expression is expected; wrap it in a range "
                            + "aggregation such as count_over_time({...} [$__auto])");
        } else {
            throw error(t, "expected a number, '(' or an aggregation, found " + describe(t));
        }
    }

    private void rangeAggregation() {
        Token function = tokens.get(next++);
        boolean needsUnwrap = UNWRAP_RANGE_FUNCTIONS.contains(function.text);
        expectOp("(");
        if (function.text.equals("quantile_over_time")) {
            expect(Kind.NUMBER, "the quantile of quantile_over_time");
            expectOp(",");
        }
        boolean unwrapped = logQuery(true);
        if (needsUnwrap && !unwrapped) {
            throw error(function, function.text + " needs an '| unwrap <label>' stage");
        }
        if (unwrapped && LOG_RANGE_FUNCTIONS.contains(function.text)) {
            throw error(function, function.text + " counts log lines and cannot take an unwrapped label");
        }
        expectOp(")");
        if (peek().is("by") || peek().is("without")) {
            if (!unwrapped || UNGROUPABLE.contains(function.text)) {
                throw error(
                        peek(),
                        "grouping is not allowed on " + function.text + (unwrapped ? "" : " of log lines")
                                + "; put it inside sum " + peek().text + " (...)");
            }
            grouping();
        }
    }

    private void vectorAggregation() {
        Token function = tokens.get(next++);
        boolean grouped = false;
        if (peek().is("by") || peek().is("without")) {
            grouping();
            grouped = true;
        }
        expectOp("(");
        if (function.text.equals("topk") || function.text.equals("bottomk")) {
            expect(Kind.NUMBER, "the number of series for " + function.text);
            expectOp(",");
        }
        metricExpression();
        expectOp(")");
        if (!grouped && (peek().is("by") || peek().is("without"))) {
            grouping();
        }
    }

    private void grouping() {
        next++; // by / without
        expectOp("(");
        if (!peek().is(")")) {
            labelName("a label to group by");
            while (peek().is(",")) {
                next++;
                labelName("a label to group by");
            }
        }
        expectOp(")");
    }

    /**
     * A log query; with {@code ranged} it carries one range, right after the selector or at the end of the
     * pipeline. Returns whether it has an unwrap stage.
     */
    private boolean logQuery(boolean ranged) {
        streamSelector();
        boolean rangeAfterSelector = ranged && peek().kind == Kind.RANGE;
        if (rangeAfterSelector) {
            duration(tokens.get(next++));
        }
        boolean unwrapped = false;
        while (true) {
            Token t = peek();
            if (t.is("|=") || t.is("!=") || t.is("|~") || t.is("!~")) {
                if (unwrapped) {
                    throw error(t, "line filters must come before '| unwrap'");
                }
                next++;
                String value = string("the text of the line filter");
                if (t.text.endsWith("~")) {
                    regex(value, t);
                }
            } else if (t.is("|")) {
                next++;
                Stage stage = stage();
                if (unwrapped && stage != Stage.LABEL_FILTER) {
                    throw error(t, "only label filters (such as __error__=\"\") may follow '| unwrap'");
                }
                unwrapped |= stage == Stage.UNWRAP;
            } else {
                break;
            }
        }
        if (ranged && !rangeAfterSelector) {
            duration(expect(Kind.RANGE, "a range such as [$__auto] after the log query"));
        } else if (ranged && peek().kind == Kind.RANGE) {
            throw error(peek(), "a log query takes one range");
        } else if (!ranged) {
            if (peek().kind == Kind.RANGE) {
                throw error(peek(), "a range belongs inside a range aggregation such as count_over_time(...)");
            }
            if (unwrapped) {
                throw error(peek(), "'| unwrap' is only allowed inside a range aggregation");
            }
        }
        return unwrapped;
    }

    private void duration(Token range) {
        if (!DURATION.matcher(range.text).matches()) {
            throw error(range, "'" + range.text + "' is not a duration (e.g. 5m, 1h30m)");
        }
    }

    private void streamSelector() {
        Token open = expectOp("{");
        boolean selective = false;
        do {
            if (peek().is("}")) {
                throw error(peek(), "a stream selector needs at least one matcher");
            }
            String label = labelName("a label name");
            Token op = tokens.get(next);
            if (!(op.is("=") || op.is("!=") || op.is("=~") || op.is("!~"))) {
                throw error(op, "expected one of = != =~ !~ after label '" + label + "', found '" + op.text + "'");
            }
            next++;
            String value = string("the value of label '" + label + "'");
            if (op.text.endsWith("~")) {
                Pattern pattern = regex(value, op);
                selective |= op.is("=~") && !pattern.matcher("").matches();
            } else {
                selective |= op.is("=") && !value.isEmpty();
            }
            if (!peek().is(",")) {
                break;
            }
            next++;
        } while (true);
        expectOp("}");
        if (!selective) {
            throw error(
                    open,
                    "queries require at least one = or =~ matcher that does not match the empty string "
                            + "(use =~\".+\" instead of =~\".*\")");
        }
    }

    private enum Stage {
        LABEL_FILTER,
        UNWRAP,
        OTHER
    }

    /** One pipeline stage after '|'. */
    private Stage stage() {
        Token t = peek();
        if (t.kind != Kind.IDENT) {
            throw error(t, "expected a pipeline stage or label filter after '|', found '" + t.text + "'");
        }
        Token after = tokens.get(next + 1);
        boolean filter = after.kind == Kind.OP
                && Set.of("=", "!=", "=~", "!~", ">", ">=", "<", "<=", "==").contains(after.text);
        if (filter) {
            labelFilter();
            while (peek().is("and") || peek().is("or")) {
                next++;
                labelFilter();
            }
            return Stage.LABEL_FILTER;
        }
        next++;
        switch (t.text) {
            case "json" -> {
                if (peek().kind == Kind.IDENT) {
                    assignments("json", false);
                }
            }
            case "logfmt", "decolorize" -> {
                // no arguments
            }
            case "line_format" -> template(string("the template of line_format"), t);
            case "label_format" -> assignments("label_format", true);
            case "unwrap" -> {
                String label = labelName("the label to unwrap");
                if (UNWRAP_CONVERSIONS.contains(label) && peek().is("(")) {
                    next++;
                    labelName("the label to unwrap with " + label + "()");
                    expectOp(")");
                }
                return Stage.UNWRAP;
            }
            default -> throw error(t, "unknown pipeline stage '" + t.text + "'");
        }
        return Stage.OTHER;
    }

    private void assignments(String stage, boolean templates) {
        do {
            labelName("a label name for " + stage);
            Token eq = expectOp("=");
            String value = string("the value assigned in " + stage);
            if (templates) {
                template(value, eq);
            } else if (value.isEmpty()) {
                throw error(eq, "json needs a non-empty field path");
            }
            if (!peek().is(",")) {
                break;
            }
            next++;
        } while (true);
    }

    private void labelFilter() {
        String label = labelName("a label name");
        Token op = tokens.get(next++);
        if (op.is("=") || op.is("!=") || op.is("=~") || op.is("!~")) {
            if (peek().kind == Kind.NUMBER && (op.is("=") || op.is("!="))) {
                next++;
                return;
            }
            String value = string("the value compared with label '" + label + "'");
            if (op.text.endsWith("~")) {
                regex(value, op);
            }
        } else {
            expect(Kind.NUMBER, "a number to compare label '" + label + "' with " + op.text);
        }
    }

    private void template(String template, Token where) {
        int depth = 0;
        for (int i = 0; i < template.length() - 1; i++) {
            if (template.startsWith("{{", i)) {
                if (depth++ > 0) {
                    throw error(where, "'{{' inside an open template action");
                }
                i++;
            } else if (template.startsWith("}}", i)) {
                if (--depth < 0) {
                    throw error(where, "'}}' without a matching '{{' in template \"" + template + "\"");
                }
                i++;
            }
        }
        if (depth != 0) {
            throw error(where, "unclosed '{{' in template \"" + template + "\"");
        }
    }

    private Pattern regex(String value, Token where) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw error(where, "invalid regular expression \"" + value + "\": " + e.getDescription());
        }
    }

    private String labelName(String what) {
        Token t = expect(Kind.IDENT, what);
        if (!LABEL_NAME.matcher(t.text).matches()) {
            throw error(t, "'" + t.text + "' is not a valid label name");
        }
        return t.text;
    }

    private String string(String what) {
        return expect(Kind.STRING, what + " (a quoted string)").text;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token expectOp(String op) {
        Token t = peek();
        if (!(t.kind == Kind.OP && t.text.equals(op))) {
            throw error(t, "expected '" + op + "', found " + describe(t));
        }
        next++;
        return t;
    }

    private Token expect(Kind kind, String what) {
        Token t = peek();
        if (t.kind != kind) {
            throw error(t, "expected " + what + ", found " + describe(t));
        }
        next++;
        return t;
    }

    private static String describe(Token t) {
        return t.kind == Kind.EOF ? "the end of the query" : "'" + t.text + "'";
    }

    private LogqlSyntaxException error(Token t, String reason) {
        return new LogqlSyntaxException(query, t.position, reason);
    }

    // ---------------------------------------------------------------- lexer

    private List<Token> tokenize(String q) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '`') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= q.length()) {
                        throw new LogqlSyntaxException(q, start, "unterminated string");
                    }
                    char d = q.charAt(i);
                    if (d == c) {
                        i++;
                        break;
                    }
                    if (d == '\\' && c == '"') {
                        if (i + 1 >= q.length()) {
                            throw new LogqlSyntaxException(q, start, "unterminated string");
                        }
                        value.append(unescape(q, i));
                        i += 2;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                out.add(new Token(Kind.STRING, value.toString(), start));
            } else if (c == '[') {
                int end = q.indexOf(']', i);
                if (end < 0) {
                    throw new LogqlSyntaxException(q, i, "unclosed '['");
                }
                out.add(new Token(Kind.RANGE, q.substring(i + 1, end).trim(), i));
                i = end + 1;
            } else if (Character.isDigit(c)) {
                int start = i;
                while (i < q.length() && (Character.isDigit(q.charAt(i)) || q.charAt(i) == '.')) {
                    i++;
                }
                if (i < q.length() && Character.isLetter(q.charAt(i))) {
                    throw new LogqlSyntaxException(q, start, "unexpected '" + q.substring(start, i + 1) + "'");
                }
                out.add(new Token(Kind.NUMBER, q.substring(start, i), start));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.IDENT, q.substring(start, i), start));
            } else {
                String two = i + 1 < q.length() ? q.substring(i, i + 2) : "";
                if (Set.of("|=", "|~", "!=", "!~", "=~", "==", ">=", "<=").contains(two)) {
                    out.add(new Token(Kind.OP, two, i));
                    i += 2;
                } else if ("{}(),|=<>+-*/%^".indexOf(c) >= 0) {
                    out.add(new Token(Kind.OP, String.valueOf(c), i));
                    i++;
                } else {
                    throw new LogqlSyntaxException(q, i, "unexpected character '" + c + "'");
                }
            }
        }
        out.add(new Token(Kind.EOF, "", q.length()));
        return out;
    }

    /** Go string-literal escapes; regex escapes such as \\d must be doubled in double-quoted strings. */
    private static char unescape(String q, int backslash) {
        char escaped = q.charAt(backslash + 1);
        return switch (escaped) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case '\\', '"', '\'' -> escaped;
            default ->
                throw new LogqlSyntaxException(
                        q,
                        backslash,
                        "unknown escape \\" + escaped + " in a double-quoted string; write \\\\" + escaped
                                + " or use a `raw string`");
        };
    }
}
