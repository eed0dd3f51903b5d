package io.sightline.sidecar.parse;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * Reads RFC 3339 timestamps (Go's {@code RFC3339Nano} as container runtimes write it: 0 to 9 fraction
 * digits, trailing zeros dropped; {@code Z} from containerd and Docker, a {@code +hh:mm} offset from
 * CRI-O; and a JSON record's {@code @timestamp}) straight from the line's bytes into epoch nanoseconds,
 * without a String or an exception. Anything else, or a time outside what epoch nanoseconds can hold
 * (1677–2262), is {@link #INVALID}. One instance per reader (it keeps the last date); not thread-safe.
 */
public final class Rfc3339Timestamps {

    public static final long INVALID = Long.MIN_VALUE;

    /** The shortest timestamp, {@code 2006-01-02T15:04:05Z}. */
    public static final int MIN_LENGTH = "2006-01-02T15:04:05Z".length();

    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000_000_000L - 1;
    private static final long MIN_SECONDS = Long.MIN_VALUE / 1_000_000_000L + 1;

    // consecutive lines nearly always share the date: keep the last one's epoch day
    private int cachedDate = -1;
    private long cachedEpochDay;

    /** The time in {@code b[from, to)}, exactly; {@link #INVALID} when it is not one. */
    public long parse(byte[] b, int from, int to) {
        int length = to - from;
        if (length < MIN_LENGTH
                || b[from + 4] != '-'
                || b[from + 7] != '-'
                || b[from + 10] != 'T'
                || b[from + 13] != ':'
                || b[from + 16] != ':') {
            return INVALID;
        }
        int year = digits(b, from, 4);
        int month = digits(b, from + 5, 2);
        int day = digits(b, from + 8, 2);
        int hour = digits(b, from + 11, 2);
        int minute = digits(b, from + 14, 2);
        int second = digits(b, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return INVALID;
        }
        if (second < 0 || second > 59) {
            return INVALID;
        }
        long epochDay = epochDay(year, month, day);
        if (epochDay == INVALID) {
            return INVALID;
        }
        int i = from + 19;
        long nanos = 0;
        if (b[i] == '.') {
            int digits = 0;
            i++;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                if (++digits > 9) {
                    return INVALID;
                }
                nanos = nanos * 10 + (b[i] - '0');
                i++;
            }
            if (digits == 0) {
                return INVALID;
            }
            for (int d = digits; d < 9; d++) {
                nanos *= 10;
            }
        }
        long offsetSeconds = offsetSeconds(b, i, to);
        if (offsetSeconds == INVALID) {
            return INVALID;
        }
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        if (seconds > MAX_SECONDS || seconds < MIN_SECONDS) {
            return INVALID;
        }
        return seconds * 1_000_000_000L + nanos;
    }

    /** {@code Z} or {@code ±hh:mm} filling {@code b[i, to)} exactly. */
    private static long offsetSeconds(byte[] b, int i, int to) {
        if (to - i == 1 && b[i] == 'Z') {
            return 0;
        }
        if (to - i != 6 || (b[i] != '+' && b[i] != '-') || b[i + 3] != ':') {
            return INVALID;
        }
        int hours = digits(b, i + 1, 2);
        int minutes = digits(b, i + 4, 2);
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
            return INVALID;
        }
        long offset = hours * 3600L + minutes * 60L;
        return b[i] == '-' ? -offset : offset;
    }

    /** Days since 1970-01-01, or {@link #INVALID} for a day the month does not have. */
    private long epochDay(int year, int month, int day) {
        int date = (year * 100 + month) * 100 + day;
        if (date != cachedDate) {
            if (day > YearMonth.of(year, month).lengthOfMonth()) {
                return INVALID;
            }
            cachedEpochDay = LocalDate.of(year, month, day).toEpochDay();
            cachedDate = date;
        }
        return cachedEpochDay;
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(byte[] bytes, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }
}
