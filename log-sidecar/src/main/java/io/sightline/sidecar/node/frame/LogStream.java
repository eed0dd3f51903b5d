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

    /** {@code bytes[from, to)} spelled exactly {@code stdout} or {@code stderr}, else {@code null}. */
    static LogStream of(byte[] bytes, int from, int to) {
        for (LogStream stream : values()) {
            if (Ascii.equals(bytes, from, to, stream.label)) {
                return stream;
            }
        }
        return null;
    }
}
