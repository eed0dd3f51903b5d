package io.sightline.demo.links;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/api/users/{user}/links")
class LinksController {

    private final LinkStore store;

    private final Chaos chaos;

    LinksController(LinkStore store, Chaos chaos) {
        this.store = store;
        this.chaos = chaos;
    }

    @PostMapping
    ResponseEntity<Link> add(@PathVariable String user, @RequestBody NewLink link) {
        this.chaos.strike("add");
        if (link.url() == null
                || !(link.url().startsWith("http://") || link.url().startsWith("https://"))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "url must start with http:// or https://");
        }
        Link saved = this.store.add(user, link.url(), (link.title() != null) ? link.title() : link.url());
        return ResponseEntity.created(URI.create("/api/users/" + user + "/links/" + saved.id()))
                .body(saved);
    }

    @GetMapping
    List<Link> list(@PathVariable String user) {
        this.chaos.strike("list");
        return this.store.list(user);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String user, @PathVariable long id) {
        this.chaos.strike("delete");
        return this.store.delete(user, id)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }
}
