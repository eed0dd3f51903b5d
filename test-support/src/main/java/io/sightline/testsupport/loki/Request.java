package io.sightline.testsupport.loki;

/**
 * One request the fake answered, stored or not: what arrived (the body's size only, so memory stays flat over
 * long runs), the status it got and when it was answered ({@link System#nanoTime()}).
 */
public record Request(String method, String path, Headers headers, int bodyBytes, int status, long answeredNanos) {

    static Request answered(Push push, int status) {
        return new Request(push.method(), push.path(), push.headers(), push.body().length, status, System.nanoTime());
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        return headers.first(name);
    }
}
