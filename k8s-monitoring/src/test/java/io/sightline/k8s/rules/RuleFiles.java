package io.sightline.k8s.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sightline.k8s.support.ModuleFiles;
import io.sightline.k8s.support.Yaml;

/** The rules of rules/*.yaml, loaded as Prometheus reads them. */
final class RuleFiles {

    /** One alerting or recording rule and the file it is in. */
    record Rule(Path file, Map<String, Object> body) {

        boolean isAlert() {
            return body.containsKey("alert");
        }

        String alert() {
            return Yaml.text(body, "alert");
        }

        String record() {
            return Yaml.text(body, "record");
        }

        String expr() {
            return Yaml.text(body, "expr");
        }

        String severity() {
            return Yaml.text(body, "labels", "severity");
        }

        Map<String, Object> annotations() {
            return Yaml.map(body, "annotations");
        }

        @Override
        public String toString() {
            return file.getFileName() + ": " + (isAlert() ? alert() + "{severity=" + severity() + "}" : record());
        }
    }

    private RuleFiles() {}

    static List<Rule> all() {
        List<Rule> rules = new ArrayList<>();
        for (Path file : ModuleFiles.ruleFiles()) {
            for (Map<String, Object> group : Yaml.maps(Yaml.load(ModuleFiles.read(file)), "groups")) {
                Yaml.maps(group, "rules").forEach(body -> rules.add(new Rule(file, body)));
            }
        }
        return rules;
    }

    static List<Rule> alerts() {
        return all().stream().filter(Rule::isAlert).toList();
    }
}
