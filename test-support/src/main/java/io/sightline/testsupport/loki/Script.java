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

    /**
     * A proxy in front of Loki with a request body limit (nginx's {@code client_max_body_size}, 1 MiB by
     * default): 413 with nginx's error page for larger bodies; smaller ones reach Loki.
     */
    static Script bodyLimit(int maxBytes) {
        String page = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
                + "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n"
                + "</body>\r\n</html>\r\n";
        return push -> push.body().length > maxBytes
                ? Response.status(413).withHeader("Content-Type", "text/html").withBody(page)
                : null;
    }
}
