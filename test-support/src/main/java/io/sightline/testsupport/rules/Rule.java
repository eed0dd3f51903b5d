package io.sightline.testsupport.rules;

import java.nio.file.Path;
import java.util.Map;

import io.sightline.testsupport.yaml.Yaml;

/** One alerting or recording rule of a Prometheus rule file, as loaded, and the file it is in. */
public record Rule(Path file, Map<String, Object> body) {

    public boolean isAlert() {
        return body.containsKey("alert");
    }

    public String alert() {
        return Yaml.text(body, "alert");
    }

    public String record() {
        return Yaml.text(body, "record");
    }

    public String expr() {
        return Yaml.text(body, "expr");
    }

    /** The {@code for:} duration as written, or null. */
    public String forDuration() {
        return Yaml.text(body, "for");
    }

    public String severity() {
        return Yaml.text(body, "labels", "severity");
    }

    public Map<String, Object> annotations() {
        return Yaml.map(body, "annotations");
    }

    @Override
    public String toString() {
        return file.getFileName() + ": " + (isAlert() ? alert() + "{severity=" + severity() + "}" : record());
    }
}
