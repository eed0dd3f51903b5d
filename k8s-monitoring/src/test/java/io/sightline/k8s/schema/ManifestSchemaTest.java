package io.sightline.k8s.schema;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rendered kustomization matches the Kubernetes API's schema ({@link ManifestSchema}): a misspelt or misplaced
 * field, which the API server would reject (or, applied without validation, silently drop), fails here; and the check
 * does catch what it is for.
 */
class ManifestSchemaTest {

    static Stream<Path> kustomizations() {
        return Stream.concat(
                Stream.of(
                        ModuleFiles.BASE,
                        ModuleFiles.SIDECAR_FIXTURE,
                        ModuleFiles.EXTERNAL_LOKI_FIXTURE,
                        ModuleFiles.RENAMED_NAMESPACE_FIXTURE,
                        ModuleFiles.DEMO_OVERLAY),
                ModuleFiles.overlays().stream());
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void renderedObjectsMatchTheApiSchema(Path kustomization) {
        assertThat(ManifestSchema.check(Manifests.render(kustomization))).isEmpty();
    }

    @Test
    void reportsUnknownFieldsWrongTypesAndUnknownKinds() {
        String bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: careless, namespace: shop}
                spec:
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
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: typed, namespace: shop}
                spec:
                  ports:
                    - port: {number: 80}
                ---
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolcy
                metadata: {name: misspelt, namespace: shop}
                """;

        List<String> violations = ManifestSchema.check(new Manifests(Path.of("inline"), Yaml.loadAll(bad)));

        assertThat(violations)
                .anySatisfy(v -> assertThat(v)
                        .startsWith("Deployment/careless: ")
                        .contains("/readinessprobe is not a field of Container"))
                .anySatisfy(v -> assertThat(v)
                        .startsWith("Deployment/careless: ")
                        .contains("/emptydir is not a field of Volume"))
                .anySatisfy(v -> assertThat(v).startsWith("Service/typed: does not match its schema"))
                .anySatisfy(v -> assertThat(v)
                        .isEqualTo("NetworkPolcy/misspelt: networking.k8s.io/v1 has no kind NetworkPolcy"));
        assertThat(violations).hasSize(4);
    }
}
