package io.sightline.testsupport.loki;

/**
 * Decides how the fake answers a request instead of Loki's own processing, e.g. a gateway's 503 for every push,
 * or a proxy's 413 for bodies over a size: {@code push -> push.body().length > 1024 ? Response.status(413) : null}.
 */
@FunctionalInterface
public interface Script {

    /** The answer to send, or null to let the fake answer as Loki would (and store what Loki would store). */
    Response answer(Push push);

    /** Loki's own processing for every request. */
    Script LIKE_LOKI = push -> null;
}
