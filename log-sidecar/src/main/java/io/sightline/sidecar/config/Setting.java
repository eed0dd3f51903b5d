package io.sightline.sidecar.config;

import java.util.Optional;

/**
 * One setting, defined once: its name (an environment variable, or a key of the YAML file), its
 * default as a user would write it ({@code null}: none), how its text is read, and what it does.
 * The default goes through the same parser as a user's value, so the documented default and the
 * one in effect cannot differ. {@code --help} and the guide's tables are checked against these.
 */
public record Setting<T>(String name, String defaultText, Parser<T> parser, String description) {

    /** The value, or the default; only for settings that have one. */
    public T value(Settings settings) {
        if (defaultText == null) {
            throw new IllegalStateException(name + " has no default: read it with find()");
        }
        return parse(settings.get(name).orElse(defaultText));
    }

    /** The value, or the default, or empty when neither is there. */
    public Optional<T> find(Settings settings) {
        Optional<String> text = settings.get(name);
        if (text.isPresent()) {
            return Optional.of(parse(text.get()));
        }
        return defaultText == null ? Optional.empty() : Optional.of(parse(defaultText));
    }

    /** The default as shown to users: the text, or {@code (none)}. */
    public String shownDefault() {
        return defaultText == null ? "(none)" : defaultText;
    }

    private T parse(String text) {
        try {
            return parser.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(name, text, parser.accepts());
        }
    }
}
