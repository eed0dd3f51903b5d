package io.sightline.demo.links;

/** Request body of {@code POST /api/users/{user}/links}. */
public record NewLink(String url, String title) {}
