package io.sightline.sidecar.ship.opensearch;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.sidecar.config.ConfigException;

/**
 * The target index of a record: a name with at most one {@code {date pattern}} part, formatted from
 * the record's timestamp in UTC, e.g. {@code logs-{yyyy.MM.dd}} gives {@code logs-2026.11.27}.
 * Records arrive mostly in time order, so the name for the last second is cached.
 */
final class IndexPattern {

    private static final Pattern DATE_PART = Pattern.compile("\\{([^{}]+)}");
    private static final Pattern INVALID_INDEX_CHARS = Pattern.compile("[\\\\/*?\"<>| ,#:A-Z{}]");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String prefix;
    private final DateTimeFormatter date;
    private final String suffix;
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedName;

    private IndexPattern(String prefix, DateTimeFormatter date, String suffix) {
        this.prefix = prefix;
        this.date = date;
        this.suffix = suffix;
    }

    static IndexPattern parse(String key, String pattern) {
        String expected = "a lowercase index name with at most one {date pattern} part, such as logs-{yyyy.MM.dd}";
        Matcher matcher = DATE_PART.matcher(pattern);
        IndexPattern parsed;
        if (!matcher.find()) {
            parsed = new IndexPattern(pattern, null, "");
        } else {
            try {
                DateTimeFormatter formatter = DateTimeFormatter.ofPattern(matcher.group(1), Locale.ROOT)
                        .withZone(ZoneOffset.UTC);
                parsed = new IndexPattern(
                        pattern.substring(0, matcher.start()), formatter, pattern.substring(matcher.end()));
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalid(key, pattern, expected + " (" + e.getMessage() + ")");
            }
            if (matcher.find()) {
                throw ConfigException.invalid(key, pattern, expected);
            }
        }
        String sample = parsed.nameFor(0);
        if (sample.isEmpty()
                || sample.startsWith("-")
                || sample.startsWith("_")
                || sample.startsWith("+")
                || sample.equals(".")
                || sample.equals("..")
                || INVALID_INDEX_CHARS.matcher(sample).find()
                || sample.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw ConfigException.invalid(key, pattern, expected);
        }
        return parsed;
    }

    /** The pattern of every index name this produces, for an index template: {@code logs-*}. */
    String wildcard() {
        return date == null ? prefix : prefix + "*" + suffix;
    }

    synchronized String nameFor(long epochNanos) {
        if (date == null) {
            return prefix;
        }
        long second = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        if (second != cachedSecond) {
            cachedName = prefix + date.format(Instant.ofEpochSecond(second)) + suffix;
            cachedSecond = second;
        }
        return cachedName;
    }
}
