package io.sightline.dashboards;

import io.sightline.dashboards.LogqlSyntax.LogqlSyntaxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The LogQL checker accepts the constructs Loki documents and rejects malformed queries with a reason. */
class LogqlSyntaxTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{service_name=\"demo\"}",
                "{namespace=~\"default|prod\", service_name!=\"x\"} |= \"timeout\" != \"health\" |~ \"(?i)err\"",
                "{namespace=\"a\"} | pod=~\"demo-.+\" | level=\"ERROR\" | json | line_format \"{{.message}}\"",
                "{namespace=\"a\"} | logfmt | duration > 10 and status = 500",
                "{namespace=\"a\"} | json ns=\"namespace\", first=\"servers[0]\" | ns=~\"kube-.*\" | __error__=\"\"",
                "sum by (level) (count_over_time({namespace=~\".+\"} | level=~\".+\" [1m]))",
                "topk(10, sum by (stack_hash) (rate({a=\"b\"} | json | stack_hash != \"\" [5m])))",
                "max_over_time({a=\"b\"} | label_format t=\"{{ __timestamp__ | unixEpoch }}\" | unwrap t [1h]) by (x) * 1000",
                "quantile_over_time(0.99, {a=\"b\"} | logfmt | unwrap latency [5m]) by (route)",
                "sum(count_over_time({a=\"b\"} [1h30m])) / sum(count_over_time({c=\"d\"} [1h30m])) > bool 0.5",
                "{a=`raw\\d`} |~ `\\d+`",
                "count_over_time({a=\"b\"}[5m] |= \"x\" | json)",
                "avg_over_time({a=\"b\"} | logfmt | unwrap duration(took) | __error__=\"\" [5m]) without (pod)"
            })
    void acceptsValidQueries(String query) {
        assertThatCode(() -> LogqlSyntax.check(query)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '`',
            value = {
                "{service_name=\"demo\"; expected '}'",
                "{}; at least one matcher",
                "{namespace=~\".*\"}; does not match the empty string",
                "{namespace!=\"x\"}; does not match the empty string",
                "{a==\"b\"}; expected one of = != =~ !~",
                "{a=b}; quoted string",
                "{a=~\"(\"}; invalid regular expression",
                "{a=\"b\"} |= timeout; quoted string",
                "{a=\"b\"} | jsn; unknown pipeline stage",
                "{a=\"b\"} | line_format \"{{.x}\"; unclosed",
                "{a=\"b\"} | line_format \"{{.x}}}}\"; without a matching",
                "{a=\"b\"} |= \"unterminated; unterminated string",
                "{a=\"b\"} |~ \"\\d+\"; unknown escape",
                "count_over_time({a=\"b\"}); a range such as",
                "count_over_time({a=\"b\"} [5x]); is not a duration",
                "count_over_time({a=\"b\"} [5m]; expected ')'",
                "sum(count_over_time({a=\"b\"} [5m]); expected ')'",
                "sum by (level count_over_time({a=\"b\"} [5m])); expected ')'",
                "count_over_time({a=\"b\"} [5m]) by (x); grouping is not allowed on count_over_time",
                "sum_over_time({a=\"b\"} | unwrap x [5m]) by (y); grouping is not allowed on sum_over_time",
                "max_over_time({a=\"b\"} | unwrap x | json [5m]); only label filters",
                "count_over_time({a=\"b\"}[5m] [5m]); takes one range",
                "sum_over_time({a=\"b\"} [5m]); needs an '| unwrap",
                "count_over_time({a=\"b\"} | unwrap x [5m]); cannot take an unwrapped label",
                "topk(sum(count_over_time({a=\"b\"} [5m]))); the number of series",
                "{a=\"b\"} [5m]; a range belongs inside",
                "{a=\"b\"} | unwrap x; only allowed inside a range aggregation",
                "sum({a=\"b\"}); a log query cannot be used",
                "rate({a=\"b\"} [5m]) +; expected a number",
                "{a=\"b\"} | level=; quoted string"
            })
    void rejectsMalformedQueries(String query, String reason) {
        assertThatThrownBy(() -> LogqlSyntax.check(query))
                .isInstanceOf(LogqlSyntaxException.class)
                .hasMessageContaining(reason)
                .hasMessageContaining("column");
    }
}
