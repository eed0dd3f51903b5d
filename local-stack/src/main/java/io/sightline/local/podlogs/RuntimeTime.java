package io.sightline.local.podlogs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's {@code time.RFC3339Nano} in UTC, as containerd stamps a line: trailing zeros of the fraction dropped. */
final class RuntimeTime {

    private static final DateTimeFormatter SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private RuntimeTime() {}

    static String format(Instant time) {
        String seconds = SECONDS.format(time);
        int nanos = time.getNano();
        if (nanos == 0) {
            return seconds + "Z";
        }
        String fraction = String.format("%09d", nanos);
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return seconds + "." + fraction.substring(0, end) + "Z";
    }
}
