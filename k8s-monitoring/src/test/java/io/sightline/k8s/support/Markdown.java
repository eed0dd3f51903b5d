package io.sightline.k8s.support;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Markdown as GitHub renders it, as far as links into it are concerned. */
public final class Markdown {

    private Markdown() {}

    /** GitHub's anchors of the headings: lower case, punctuation removed, spaces as hyphens. */
    public static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        boolean inCode = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
