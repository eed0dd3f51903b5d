package io.sightline.local.traffic;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Random;

/**
 * The demo service's links API as the traffic generator uses it: mostly reads, some creates and deletes, for a
 * handful of users (so the per-user link lists stay small). Which requests turn slow or fail is the service's
 * doing ({@code demo.slow-ratio}, {@code demo.failure-ratio}).
 */
final class LinksApiRequests {

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin"};
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    HttpRequest next(URI baseUrl, Random random) {
        String user = USERS[random.nextInt(USERS.length)];
        URI links = baseUrl.resolve("/api/users/" + user + "/links");
        int pick = random.nextInt(10);
        if (pick < 6) {
            return HttpRequest.newBuilder(links).timeout(TIMEOUT).GET().build();
        }
        if (pick < 9) {
            int page = random.nextInt(1000);
            String body = "{\"url\":\"https://example.com/" + page + "\",\"title\":\"page " + page + "\"}";
            return HttpRequest.newBuilder(links)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
        }
        // ids are small numbers; deleting one that is gone is a 404, part of a realistic mix
        return HttpRequest.newBuilder(links.resolve("links/" + (1 + random.nextInt(50))))
                .timeout(TIMEOUT)
                .DELETE()
                .build();
    }
}
