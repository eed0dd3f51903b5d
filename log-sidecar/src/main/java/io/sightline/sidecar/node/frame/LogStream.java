package io.sightline.sidecar.node.frame;

/** The container output a line came from; {@link #label()} is the contract's {@code stream} value. */
public enum LogStream {
    STDOUT("stdout"),
    STDERR("stderr");

    private final String label;

    LogStream(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * {@code bytes[from, to)} spelled exactly {@code stdout} or {@code stderr}, else {@code null}. Once per
     * line: byte compares only ({@code values()} would copy its array, {@code String.charAt} check each index).
     */
    static LogStream of(byte[] bytes, int from, int to) {
        if (to - from != 6 || bytes[from] != 's' || bytes[from + 1] != 't' || bytes[from + 2] != 'd') {
            return null;
        }
        byte a = bytes[from + 3];
        byte b = bytes[from + 4];
        byte c = bytes[from + 5];
        if (a == 'o' && b == 'u' && c == 't') {
            return STDOUT;
        }
        if (a == 'e' && b == 'r' && c == 'r') {
            return STDERR;
        }
        return null;
    }
}
