package io.sightline.local.podlogs;

/** The output stream of a process a line came from, named as the CRI log format names it. */
public enum StdStream {
    STDOUT("stdout"),
    STDERR("stderr");

    private final String criName;

    StdStream(String criName) {
        this.criName = criName;
    }

    public String criName() {
        return criName;
    }
}
