package io.sightline.sidecar.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the text of a setting into its value. {@link #accepts()} says in words what the parser takes;
 * it ends every error message about the setting, so the user learns what to write instead.
 *
 * <p>Each kind of value is a plain subclass, and sizes and durations are read by hand: the table of
 * settings is built on the main thread before the first line is read, where a lambda class spun or a
 * regular expression compiled per setting showed up in the time to the first batch (issue 16).
 */
public abstract class Parser<T> {

    private final String accepts;

    private Parser(String accepts) {
        this.accepts = accepts;
    }

    /** The value of {@code text} (stripped, never empty); {@link IllegalArgumentException} when unusable. */
    public abstract T parse(String text);

    public final String accepts() {
        return accepts;
    }

    public static Parser<String> text() {
        return new Parser<>("any text") {
            @Override
            public String parse(String text) {
                return text;
            }
        };
    }

    public static Parser<Boolean> bool() {
        return new Parser<>("one of true, false") {
            @Override
            public Boolean parse(String text) {
                return switch (text.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException();
                };
            }
        };
    }

    /** One of {@code values}, case-insensitive; the value is returned as spelled here. */
    public static Parser<String> choice(String... values) {
        return new Parser<>("one of " + String.join(", ", values)) {
            @Override
            public String parse(String text) {
                for (String value : values) {
                    if (value.equalsIgnoreCase(text)) {
                        return value;
                    }
                }
                throw new IllegalArgumentException();
            }
        };
    }

    public static Parser<Integer> integer(int min, int max) {
        return new Parser<>("an integer from " + min + " to " + max) {
            @Override
            public Integer parse(String text) {
                int value = Integer.parseInt(text);
                if (value < min || value > max) {
                    throw new IllegalArgumentException();
                }
                return value;
            }
        };
    }

    /** {@code 512}, {@code 256KiB}, {@code 1MiB}, {@code 1GiB} (binary units), within {@code [min, max]} bytes. */
    public static Parser<Long> size(long min, long max) {
        return new Parser<>("a size such as 512, 256KiB, 1MiB or 1GiB, from " + min + " to " + max + " bytes") {
            @Override
            public Long parse(String text) {
                Amount amount = Amount.of(text, 18);
                int shift =
                        switch (amount.unit().toLowerCase(Locale.ROOT)) {
                            case "", "b" -> 0;
                            case "kib" -> 10;
                            case "mib" -> 20;
                            case "gib" -> 30;
                            default -> throw new IllegalArgumentException();
                        };
                if (amount.number() > (max >> shift)) {
                    throw new IllegalArgumentException();
                }
                long value = amount.number() << shift;
                if (value < min) {
                    throw new IllegalArgumentException();
                }
                return value;
            }
        };
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; above zero and at most a day. */
    public static Parser<Duration> duration() {
        return new Parser<>("a duration above zero and at most 24h, such as 500ms, 10s, 2m or 1h") {
            @Override
            public Duration parse(String text) {
                Amount amount = Amount.of(text, 9);
                Duration value =
                        switch (amount.unit().toLowerCase(Locale.ROOT)) {
                            case "ms" -> Duration.ofMillis(amount.number());
                            case "s" -> Duration.ofSeconds(amount.number());
                            case "m" -> Duration.ofMinutes(amount.number());
                            case "h" -> Duration.ofHours(amount.number());
                            default -> throw new IllegalArgumentException();
                        };
                if (value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
                    throw new IllegalArgumentException();
                }
                return value;
            }
        };
    }

    public static Parser<Path> path() {
        return new Parser<>("a file system path") {
            @Override
            public Path parse(String text) {
                return Path.of(text);
            }
        };
    }

    /** A regular file this process can read (a Secret or ConfigMap mount). */
    public static Parser<Path> readableFile() {
        return new Parser<>("a readable file: mount it there (e.g. from a Secret) or unset the setting") {
            @Override
            public Path parse(String text) {
                Path path = Path.of(text);
                if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                    throw new IllegalArgumentException();
                }
                return path;
            }
        };
    }

    /** An absolute {@code http://} or {@code https://} URL with a host and no query or fragment. */
    public static Parser<URI> httpUrl() {
        return new Parser<>("an http:// or https:// URL with a host, without query or fragment") {
            @Override
            public URI parse(String text) {
                try {
                    URI uri = new URI(text);
                    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                            || uri.getHost() == null
                            || uri.getQuery() != null
                            || uri.getFragment() != null) {
                        throw new IllegalArgumentException();
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException(e);
                }
            }
        };
    }

    /** Comma-separated absolute path globs. */
    public static Parser<List<String>> absoluteGlobs() {
        return new Parser<>("one or more comma-separated absolute path globs such as /var/log/app/*.log") {
            @Override
            public List<String> parse(String text) {
                List<String> globs = new ArrayList<>();
                for (String part : text.split(",")) {
                    String glob = part.strip();
                    if (glob.isEmpty()) {
                        continue;
                    }
                    try {
                        if (!Path.of(withoutGlobSyntax(glob)).isAbsolute()) {
                            throw new IllegalArgumentException();
                        }
                    } catch (InvalidPathException e) {
                        throw new IllegalArgumentException(e);
                    }
                    globs.add(glob);
                }
                if (globs.isEmpty()) {
                    throw new IllegalArgumentException();
                }
                return List.copyOf(globs);
            }
        };
    }

    /** {@code glob} with its wildcard and grouping characters replaced by a letter, so that it reads as a path. */
    private static String withoutGlobSyntax(String glob) {
        StringBuilder path = new StringBuilder(glob.length());
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            path.append("*?[]{}".indexOf(c) >= 0 ? 'x' : c);
        }
        return path.toString();
    }

    /**
     * A number of at most {@code maxDigits} decimal digits, optionally followed by blanks and a unit made of
     * letters ({@code 256KiB}, {@code 500 ms}); the unit is empty when there is none. Which units count is the
     * caller's to say.
     */
    private record Amount(long number, String unit) {

        static Amount of(String text, int maxDigits) {
            int digits = 0;
            while (digits < text.length() && isDigit(text.charAt(digits))) {
                digits++;
            }
            if (digits == 0 || digits > maxDigits) {
                throw new IllegalArgumentException();
            }
            int unit = digits;
            while (unit < text.length() && isBlank(text.charAt(unit))) {
                unit++;
            }
            for (int i = unit; i < text.length(); i++) {
                if (!isAsciiLetter(text.charAt(i))) {
                    throw new IllegalArgumentException();
                }
            }
            return new Amount(Long.parseLong(text, 0, digits, 10), text.substring(unit));
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** What {@code \s} matches in a Java regular expression, which read these values before. */
        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
    }
}
