package io.sightline.local.traffic;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Random;

/** The requests the traffic generator sends to one demo service instance at {@code baseUrl}. */
public interface DemoRequests {

    /** A request of the normal mix (the service itself makes a configured share of them slow or failing). */
    HttpRequest next(URI baseUrl, Random random);

    /** A request that makes the service answer with a server error, for the failure burst. */
    HttpRequest failing(URI baseUrl, Random random);
}
