package io.sightline.testsupport.yaml;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlTest {

    private static final String DOCUMENT = """
            spec:
              replicas: 2
              enabled: true
              containers:
                - name: app
                  ports: [8080, 8081]
                - just a string
            """;

    @Test
    void navigatesMapsAndListsNullSafely() {
        Map<String, Object> root = Yaml.load(DOCUMENT);

        assertThat(Yaml.text(root, "spec", "replicas")).isEqualTo("2");
        assertThat(Yaml.isTrue(root, "spec", "enabled")).isTrue();
        assertThat(Yaml.text(root, "spec", "containers", "0", "name")).isEqualTo("app");
        assertThat(Yaml.list(root, "spec", "containers", "0", "ports")).containsExactly(8080, 8081);
        assertThat(Yaml.maps(root, "spec", "containers")).hasSize(1);
        assertThat(Yaml.map(root, "spec")).containsKey("containers");
        assertThat(Yaml.text(root, "spec", "containers")).as("not a scalar").isNull();
        assertThat(Yaml.at(root, "spec", "containers", "5")).isNull();
        assertThat(Yaml.at(root, "missing", "deeper")).isNull();
        assertThat(Yaml.map(root, "missing")).isEmpty();
        assertThat(Yaml.list(root, "missing")).isEmpty();
    }

    @Test
    void loadsEveryMappingOfAStreamAndRefusesANonMappingDocument() {
        assertThat(Yaml.loadAll("a: 1\n---\n---\nb: 2\n---\n- a list\n"))
                .containsExactly(Map.of("a", 1), Map.of("b", 2));
        assertThatThrownBy(() -> Yaml.load("- a list")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dumpsBlockStyleThatLoadsBackToTheSame() {
        Map<String, Object> document = Map.of("groups", List.of(Map.of("name", "g", "rules", List.of())));

        String text = Yaml.dump(document);

        assertThat(text).startsWith("groups:\n- ");
        assertThat(Yaml.load(text)).isEqualTo(document);
    }
}
