package io.sightline.demo.links;

import java.time.Instant;

/** A link a user saved. */
public record Link(long id, String url, String title, Instant createdAt) {}
