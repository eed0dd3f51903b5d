package io.sightline.k8s.schema;

import java.nio.file.Path;
import java.util.List;

import io.sightline.k8s.support.Manifests;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema check catches what it is for: a misspelt or misplaced field, which the API server would reject (or,
 * applied without validation, silently drop), a value of the wrong type, an unknown kind. Every rendered
 * kustomization is checked with the policy ({@code ManifestPolicy} includes this check, ManifestPolicyTest).
 */
class ManifestSchemaTest {

    @Test
    void reportsUnknownFieldsWrongTypesAndUnknownKinds() {
        String bad = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolcy
                metadata: {name: misspelt, namespace: shop}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: typed, namespace: shop}
                spec:
                  ports:
                    - port: {number: 80}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: careless, namespace: shop}
                spec:
                  serviceName: careless
                  selector: {matchLabels: {app: careless}}
                  template:
                    metadata: {labels: {app: careless}}
                    spec:
                      containers:
                        - name: app
                          image: app:1.0
                          readinessprobe: {httpGet: {path: /, port: 8080}}
                      volumes:
                        - name: tmp
                          emptydir: {}
                """;

        List<String> violations = ManifestSchema.check(new Manifests(Path.of("inline"), Yaml.loadAll(bad)));

        assertThat(violations)
                .anySatisfy(v -> assertThat(v)
                        .startsWith("StatefulSet/careless: ")
                        .contains("/readinessprobe is not a field of Container"))
                .anySatisfy(v -> assertThat(v)
                        .startsWith("StatefulSet/careless: ")
                        .contains("/emptydir is not a field of Volume"))
                .anySatisfy(v -> assertThat(v).startsWith("Service/typed: does not match its schema"))
                .anySatisfy(v -> assertThat(v)
                        .isEqualTo("NetworkPolcy/misspelt: networking.k8s.io/v1 has no kind NetworkPolcy"));
        assertThat(violations).hasSize(4);
    }
}
