package io.sightline.sidecar.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link RecordParser}: one pass over a line's bytes that checks it is a JSON object
 * and notes where the values of the few top-level string fields the sinks need are, without building
 * a parser, tokens or strings. It only says yes to the plain shape telemetry-starter writes: field
 * names in printable ASCII without escapes, wanted values in ASCII without escapes, other strings
 * ASCII with simple escapes, short numbers, literals, modest nesting. Anything else (non-ASCII, a
 * {@code \\u} escape, long numbers, deep nesting, or broken JSON) is {@link #scan answered no}, and the
 * caller asks Jackson, which decides: a line this scan accepts is one Jackson accepts with the same
 * values. Like the Jackson path, scanning ends at the object's closing brace. Not thread-safe.
 */
final class JsonFieldScan {

    /** Slots of the fields looked for, in the order of the names given to the constructor. */
    private final byte[][] names;

    private final int[] starts;
    private final int[] ends;

    private static final int MAX_DEPTH = 64;
    private static final int MAX_NUMBER_LENGTH = 100;
    /** Well inside Jackson's default limits for names (50,000) and strings (20,000,000). */
    private static final int MAX_NAME_LENGTH = 1000;

    private static final int MAX_STRING_LENGTH = 1_000_000;

    private byte[] bytes;
    private int end;
    private int pos;
    private boolean ascii;

    /** {@code names}: the top-level fields whose string values are wanted (a null name is never matched). */
    JsonFieldScan(String... names) {
        this.names = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            this.names[i] = names[i] == null ? null : names[i].getBytes(StandardCharsets.UTF_8);
        }
        this.starts = new int[names.length];
        this.ends = new int[names.length];
    }

    /** True when {@code bytes[offset, offset+length)} is a plain JSON object as described above; then see {@link #found}. */
    boolean scan(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.end = offset + length;
        this.pos = offset;
        Arrays.fill(starts, -1);
        try {
            skipWhitespace();
            if (!object(0)) {
                return false;
            }
            // everything up to the closing brace is ASCII, or the scan would have said no
            ascii = true;
            for (int i = pos; i < end && ascii; i++) {
                ascii = bytes[i] >= 0;
            }
            return true;
        } finally {
            this.bytes = null;
        }
    }

    /** After a scan that said yes: whether the whole line is ASCII (then its text needs no UTF-8 decoding). */
    boolean ascii() {
        return ascii;
    }

    /** Whether field {@code slot} was found with a string value (the last one, when repeated). */
    boolean found(int slot) {
        return starts[slot] >= 0;
    }

    int start(int slot) {
        return starts[slot];
    }

    int end(int slot) {
        return ends[slot];
    }

    private boolean object(int depth) {
        if (depth > MAX_DEPTH || pos >= end || bytes[pos] != '{') {
            return false;
        }
        pos++;
        skipWhitespace();
        if (pos < end && bytes[pos] == '}') {
            pos++;
            return true;
        }
        while (true) {
            int slot = depth == 0 ? name() : (name() == -2 ? -2 : -1);
            if (slot == -2) {
                return false;
            }
            skipWhitespace();
            if (pos >= end || bytes[pos] != ':') {
                return false;
            }
            pos++;
            skipWhitespace();
            if (slot >= 0 && pos < end && bytes[pos] == '"') {
                int valueStart = pos + 1;
                if (!string(true)) {
                    return false;
                }
                starts[slot] = valueStart;
                ends[slot] = pos - 1;
            } else if (!value(depth)) {
                return false;
            }
            skipWhitespace();
            if (pos >= end) {
                return false;
            }
            byte next = bytes[pos++];
            if (next == '}') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            skipWhitespace();
        }
    }

    /** Reads a field name: the slot it names, -1 for another name, -2 when not plain. */
    private int name() {
        int nameStart = pos + 1;
        if (pos >= end || bytes[pos] != '"' || !string(true)) {
            return -2;
        }
        int length = pos - 1 - nameStart;
        if (length > MAX_NAME_LENGTH) {
            return -2;
        }
        // compared here byte by byte: under C1 a call to Arrays.equals per candidate costs more than the names are long
        byte[] line = bytes;
        candidates:
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name == null || name.length != length) {
                continue;
            }
            for (int k = 0; k < length; k++) {
                if (line[nameStart + k] != name[k]) {
                    continue candidates;
                }
            }
            return i;
        }
        return -1;
    }

    private boolean value(int depth) {
        if (pos >= end) {
            return false;
        }
        byte b = bytes[pos];
        return switch (b) {
            case '"' -> string(false);
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        };
    }

    private boolean array(int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        pos++;
        skipWhitespace();
        if (pos < end && bytes[pos] == ']') {
            pos++;
            return true;
        }
        while (true) {
            if (!value(depth)) {
                return false;
            }
            skipWhitespace();
            if (pos >= end) {
                return false;
            }
            byte next = bytes[pos++];
            if (next == ']') {
                return true;
            }
            if (next != ',') {
                return false;
            }
            skipWhitespace();
        }
    }

    /**
     * A string at {@code pos} (its opening quote) in printable ASCII; {@code plain}: no escapes at all. The line, its
     * end and the position are locals in the loop (C1 would load and store the fields at every byte), and the common
     * byte is told apart from the four special ones in one test.
     */
    private boolean string(boolean plain) {
        byte[] line = bytes;
        int limit = end;
        int p = pos + 1;
        int start = p;
        while (p < limit) {
            byte b = line[p++];
            if (b > '"' && b != '\\' && b != 0x7f) {
                continue; // printable ASCII other than the quote and the backslash
            }
            if (b == '"') {
                pos = p;
                return p - start <= MAX_STRING_LENGTH;
            }
            if (b < 0x20 || b == 0x7f) {
                return false; // control characters and non-ASCII (negative bytes) are Jackson's to judge
            }
            if (b == '\\') {
                if (plain || p >= limit) {
                    return false;
                }
                byte escaped = line[p++];
                if (escaped != '"'
                        && escaped != '\\'
                        && escaped != '/'
                        && escaped != 'b'
                        && escaped != 'f'
                        && escaped != 'n'
                        && escaped != 'r'
                        && escaped != 't') {
                    return false;
                }
            }
        }
        return false;
    }

    private boolean literal(String word) {
        int length = word.length();
        if (end - pos < length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += length;
        return pos < end && isDelimiter(bytes[pos]);
    }

    /** {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, short, followed by a delimiter. */
    private boolean number() {
        int start = pos;
        if (pos < end && bytes[pos] == '-') {
            pos++;
        }
        if (pos >= end || !isDigit(bytes[pos])) {
            return false;
        }
        if (bytes[pos] == '0') {
            pos++;
        } else {
            skipDigits();
        }
        if (pos < end && bytes[pos] == '.') {
            pos++;
            if (pos >= end || !isDigit(bytes[pos])) {
                return false;
            }
            skipDigits();
        }
        if (pos < end && (bytes[pos] == 'e' || bytes[pos] == 'E')) {
            pos++;
            if (pos < end && (bytes[pos] == '+' || bytes[pos] == '-')) {
                pos++;
            }
            if (pos >= end || !isDigit(bytes[pos])) {
                return false;
            }
            skipDigits();
        }
        return pos - start <= MAX_NUMBER_LENGTH && pos < end && isDelimiter(bytes[pos]);
    }

    private void skipDigits() {
        while (pos < end && isDigit(bytes[pos])) {
            pos++;
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isDelimiter(byte b) {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** Small enough for C1 to inline: the compact JSON the starter writes has no whitespace to skip. */
    private void skipWhitespace() {
        if (pos < end && bytes[pos] <= ' ') {
            skipWhitespaceAt();
        }
    }

    private void skipWhitespaceAt() {
        while (pos < end) {
            byte b = bytes[pos];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return;
            }
            pos++;
        }
    }
}
