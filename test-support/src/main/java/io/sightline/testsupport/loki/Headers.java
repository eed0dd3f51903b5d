package io.sightline.testsupport.loki;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The headers of a request, looked up in any case (HTTP header names are case-insensitive). */
public record Headers(Map<String, List<String>> byLowerCaseName) {

    static Headers of(Map<String, List<String>> raw) {
        Map<String, List<String>> copy = new TreeMap<>();
        raw.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return new Headers(copy);
    }

    /** The first value of the header, or null when it was not sent. */
    public String first(String name) {
        List<String> values = byLowerCaseName.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
