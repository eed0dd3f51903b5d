package io.sightline.sidecar.node.frame;

import io.sightline.sidecar.parse.Rfc3339Timestamps;

/**
 * Parses the CRI logging format: {@code <time> <stream> <tags> <message>}, one space each, where the
 * first of the {@code :}-separated tags is {@code P} (partial: the runtime split a long line, more
 * follows) or {@code F} (full, or the last fragment). The message is a slice of the line (no copy);
 * it may be empty. A line that lacks a part, has another stream or first tag, or an unreadable time
 * is not CRI.
 */
final class CriLines {

    private final Rfc3339Timestamps timestamps;

    CriLines(Rfc3339Timestamps timestamps) {
        this.timestamps = timestamps;
    }

    boolean parse(byte[] b, int from, int to, ParsedLine out) {
        // a time is at least MIN_LENGTH bytes: a space among its first ones makes it unreadable either way
        int afterTime = Ascii.indexOf(b, from + Rfc3339Timestamps.MIN_LENGTH - 1, to, (byte) ' ');
        if (afterTime < 0) {
            return false;
        }
        long time = timestamps.parse(b, from, afterTime);
        if (time == Rfc3339Timestamps.INVALID) {
            return false;
        }
        int afterStream = Ascii.indexOf(b, afterTime + 1, to, (byte) ' ');
        if (afterStream < 0) {
            return false;
        }
        LogStream stream = LogStream.of(b, afterTime + 1, afterStream);
        if (stream == null) {
            return false;
        }
        int tagsStart = afterStream + 1;
        int afterTags = Ascii.indexOf(b, tagsStart, to, (byte) ' ');
        if (afterTags < 0) {
            return false;
        }
        int firstTagEnd = Ascii.indexOf(b, tagsStart, afterTags, (byte) ':');
        if ((firstTagEnd < 0 ? afterTags : firstTagEnd) != tagsStart + 1) {
            return false;
        }
        byte tag = b[tagsStart];
        if (tag != 'P' && tag != 'F') {
            return false;
        }
        out.set(stream, time, tag == 'P', b, afterTags + 1, to - afterTags - 1);
        return true;
    }
}
