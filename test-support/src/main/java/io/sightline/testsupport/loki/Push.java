package io.sightline.testsupport.loki;

/** One HTTP request as it reached the fake, before it is answered: what a {@link Script} decides on. */
public record Push(String method, String path, Headers headers, byte[] body) {

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        return headers.first(name);
    }
}
