package io.sightline.sidecar.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the text of a setting into its value. {@link #accepts()} says in words what the parser takes;
 * it ends every error message about the setting, so the user learns what to write instead.
 */
public interface Parser<T> {

    /** The value of {@code text} (stripped, never empty); {@link IllegalArgumentException} when unusable. */
    T parse(String text);

    String accepts();

    static <T> Parser<T> of(String accepts, Function<String, T> parse) {
        return new Parser<>() {
            @Override
            public T parse(String text) {
                return parse.apply(text);
            }

            @Override
            public String accepts() {
                return accepts;
            }
        };
    }

    static Parser<String> text() {
        return of("any text", text -> text);
    }

    static Parser<Boolean> bool() {
        return of("one of true, false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    /** One of {@code values}, case-insensitive; the value is returned as spelled here. */
    static Parser<String> choice(String... values) {
        return of("one of " + String.join(", ", values), text -> Arrays.stream(values)
                .filter(value -> value.equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(IllegalArgumentException::new));
    }

    static Parser<Integer> integer(int min, int max) {
        return of("an integer from " + min + " to " + max, text -> {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** {@code 512}, {@code 256KiB}, {@code 1MiB}, {@code 1GiB} (binary units), within {@code [min, max]} bytes. */
    static Parser<Long> size(long min, long max) {
        Pattern size = Pattern.compile("(\\d{1,18})\\s*(b|kib|mib|gib)?", Pattern.CASE_INSENSITIVE);
        return of("a size such as 512, 256KiB, 1MiB or 1GiB, from " + min + " to " + max + " bytes", text -> {
            Matcher m = size.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            int shift =
                    switch (unit) {
                        case "kib" -> 10;
                        case "mib" -> 20;
                        case "gib" -> 30;
                        default -> 0;
                    };
            long number = Long.parseLong(m.group(1));
            if (number > (max >> shift)) {
                throw new IllegalArgumentException();
            }
            long value = number << shift;
            if (value < min) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; above zero and at most a day. */
    static Parser<Duration> duration() {
        Pattern duration = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);
        Duration max = Duration.ofDays(1);
        return of("a duration above zero and at most 24h, such as 500ms, 10s, 2m or 1h", text -> {
            Matcher m = duration.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            long number = Long.parseLong(m.group(1));
            Duration value =
                    switch (m.group(2).toLowerCase(Locale.ROOT)) {
                        case "ms" -> Duration.ofMillis(number);
                        case "s" -> Duration.ofSeconds(number);
                        case "m" -> Duration.ofMinutes(number);
                        default -> Duration.ofHours(number);
                    };
            if (value.isZero() || value.compareTo(max) > 0) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    static Parser<Path> path() {
        return of("a file system path", Path::of);
    }

    /** A regular file this process can read (a Secret or ConfigMap mount). */
    static Parser<Path> readableFile() {
        return of("a readable file: mount it there (e.g. from a Secret) or unset the setting", text -> {
            Path path = Path.of(text);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException();
            }
            return path;
        });
    }

    /** An absolute {@code http://} or {@code https://} URL with a host and no query or fragment. */
    static Parser<URI> httpUrl() {
        return of("an http:// or https:// URL with a host, without query or fragment", text -> {
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
        });
    }

    /** Comma-separated absolute path globs. */
    static Parser<List<String>> absoluteGlobs() {
        return of("one or more comma-separated absolute path globs such as /var/log/app/*.log", text -> {
            List<String> globs = Arrays.stream(text.split(","))
                    .map(String::strip)
                    .filter(glob -> !glob.isEmpty())
                    .toList();
            if (globs.isEmpty()) {
                throw new IllegalArgumentException();
            }
            for (String glob : globs) {
                try {
                    if (!Path.of(glob.replaceAll("[*?\\[\\]{}]", "x")).isAbsolute()) {
                        throw new IllegalArgumentException();
                    }
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException(e);
                }
            }
            return globs;
        });
    }
}
