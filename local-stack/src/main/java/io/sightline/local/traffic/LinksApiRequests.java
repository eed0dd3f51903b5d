package io.sightline.local.traffic;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Random;

/**
 * The demo service's links API: mostly reads, some creates and deletes, for a handful of users (so the
 * per-user link lists stay small).
 */
public final class LinksApiRequests implements DemoRequests {

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin"};
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Override
    public HttpRequest next(URI baseUrl, Random random) {
        String user = USERS[random.nextInt(USERS.length)];
        URI links = baseUrl.resolve("/api/users/" + user + "/links");
        int pick = random.nextInt(10);
        if (pick < 6) {
            return HttpRequest.newBuilder(links).timeout(TIMEOUT).GET().build();
        }
        if (pick < 9) {
            String body = "{\"url\":\"https://example.com/" + random.nextInt(1000) + "\",\"title\":\"page " + random.nextInt(1000) + "\"}";
            return HttpRequest.newBuilder(links).timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }
        // ids are small numbers; deleting one that is gone is a 404, which is part of a realistic mix
        return HttpRequest.newBuilder(links.resolve("links/" + (1 + random.nextInt(50)))).timeout(TIMEOUT).DELETE().build();
    }

    @Override
    public HttpRequest failing(URI baseUrl, Random random) {
        String user = USERS[random.nextInt(USERS.length)];
        return HttpRequest.newBuilder(baseUrl.resolve("/api/users/" + user + "/links?fail=true")).timeout(TIMEOUT).GET().build();
    }
}
