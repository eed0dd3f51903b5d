package io.sightline.telemetry.masking;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * Log lines built to make a masking rule backtrack or rescan: fragments that start a rule's match and
 * never complete it, repeated over the whole line. The masking tests and the JMH benchmark
 * ({@code benchmarks/starter-jmh}) use the same shapes.
 */
public final class HostileLines {

    /** Each shape by name: a function from the wanted length in characters to the line. */
    public static final Map<String, IntFunction<String>> SHAPES = Map.of(
            // One '@' anywhere switches the URL rules on; the fragments after it never reach another.
            "oracle-without-at", length -> "@ " + repeat("jdbc:oracle:thin:scott/", length - 2),
            "url-without-at", length -> "@ " + repeat("jdbc:mysql://app:pw;", length - 2),
            "userinfo-without-host", length -> "@ " + repeat("x://u:p", length - 2),
            "keys-without-values", length -> repeat("password ", length),
            "key-then-long-rest", length -> repeat("api_key" + "_x".repeat(40) + " ", length),
            "bearer-short-words", length -> repeat("Bearer abc ", length),
            "digit-groups", length -> repeat("4111 1111 1111 111 ", length),
            "jwt-heads", length -> repeat("eyJhbGciOiJI.eyJ ", length),
            "cookie-colons", length -> repeat("cookie cookie: ", length));

    private HostileLines() {}

    private static String repeat(String fragment, int length) {
        StringBuilder line = new StringBuilder(length + fragment.length());
        while (line.length() < length) {
            line.append(fragment);
        }
        line.setLength(length);
        return line.toString();
    }
}
