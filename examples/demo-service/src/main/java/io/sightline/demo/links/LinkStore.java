package io.sightline.demo.links;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/** Links per user, in memory: the demo is about observing a service, not about storing data. */
@Component
public class LinkStore {

    private final Map<String, Map<Long, Link>> linksByUser = new ConcurrentHashMap<>();

    private final AtomicLong ids = new AtomicLong();

    private final Clock clock;

    public LinkStore() {
        this(Clock.systemUTC());
    }

    LinkStore(Clock clock) {
        this.clock = clock;
    }

    public Link add(String user, String url, String title) {
        Link link = new Link(this.ids.incrementAndGet(), url, title, this.clock.instant());
        this.linksByUser
                .computeIfAbsent(user, (key) -> new ConcurrentHashMap<>())
                .put(link.id(), link);
        return link;
    }

    public List<Link> list(String user) {
        return this.linksByUser.getOrDefault(user, Map.of()).values().stream()
                .sorted(Comparator.comparingLong(Link::id))
                .toList();
    }

    /** @return whether the user had that link */
    public boolean delete(String user, long id) {
        Map<Long, Link> links = this.linksByUser.get(user);
        return links != null && links.remove(id) != null;
    }
}
