package io.sightline.sidecar.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagnostic line's exact bytes: operators' log pipelines parse them (same names as the application records),
 * so how Jackson is loaded must not change a byte of them.
 */
class DiagnosticsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Diagnostics diagnostics =
            new Diagnostics(new PrintStream(out, true, StandardCharsets.UTF_8), Diagnostics.Level.INFO);

    @Test
    void writesOneJsonObjectPerLineWithTheFieldsInOrder() {
        Instant before = Instant.now();
        diagnostics.warn(
                "cannot read",
                "file",
                "/var/log/app.log",
                "bytes",
                12_345L,
                "port",
                9095,
                "flushed",
                false,
                "ratio",
                0.5,
                "error",
                new IOException("gone"),
                "none",
                null);
        Instant after = Instant.now();

        String text = out.toString(StandardCharsets.UTF_8);
        String prefix = "{\"@timestamp\":\"";
        assertThat(text).startsWith(prefix).endsWith(System.lineSeparator());
        String timestamp = text.substring(prefix.length(), text.indexOf('"', prefix.length()));
        assertThat(Instant.parse(timestamp)).isBetween(before, after);
        assertThat(text.substring(prefix.length() + timestamp.length()))
                .isEqualTo("\",\"level\":\"WARN\",\"logger\":\"sightline-log-sidecar\",\"message\":\"cannot read\","
                        + "\"file\":\"/var/log/app.log\",\"bytes\":12345,\"port\":9095,\"flushed\":false,"
                        + "\"ratio\":\"0.5\",\"error\":\"java.io.IOException: gone\",\"none\":\"null\"}"
                        + System.lineSeparator());
    }

    /** Quotes, backslashes and control characters are escaped in names and values; other text is kept as UTF-8. */
    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        diagnostics.error(
                "a \"quoted\" \\ path\nnext\tcol\r\b\f\u0001\u001f\u007f é € \u2028 𝄞", "odd \"name\"\n", "/");

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.substring(text.indexOf("\"message\"")))
                .isEqualTo(
                        "\"message\":\"a \\\"quoted\\\" \\\\ path\\nnext\\tcol\\r\\b\\f\\u0001\\u001F\u007f é € \u2028 𝄞\","
                                + "\"odd \\\"name\\\"\\n\":\"/\"}" + System.lineSeparator());
    }

    @Test
    void writesNothingBelowItsLevel() {
        diagnostics.debug("noise", "n", 1);

        assertThat(out.size()).isZero();
    }
}
