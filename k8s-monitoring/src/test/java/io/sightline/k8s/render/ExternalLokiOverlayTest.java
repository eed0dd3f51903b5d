package io.sightline.k8s.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.policy.ManifestPolicy;
import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.sightline.k8s.support.Manifests.allContainers;
import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.id;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * overlays/external-loki takes the stack off its single-binary Loki: nothing is left that deploys, admits or
 * addresses the in-namespace Loki, every shipper (the event-collector's sidecar, a user's service with
 * components/external-loki) pushes to the user's Loki with the tenant and credentials of the user's Secret, and
 * Grafana's {@code loki} datasource queries the same Loki with the same credentials.
 */
class ExternalLokiOverlayTest {

    private static final String SECRET = "loki-credentials";

    /**
     * An address of the in-namespace Loki: its Service name as the host, alone or with a namespace
     * ({@code loki:3100}, {@code loki.sightline.svc:3100}, {@code loki.sightline.svc.cluster.local}), not a host that
     * merely starts with "loki." ({@code loki.example.com}).
     */
    private static final Pattern IN_NAMESPACE_LOKI =
            Pattern.compile("(?i)\\bhttps?://loki(\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?)?(?=[:/\"\\s]|$)");

    private final Manifests overlay = Manifests.render(ModuleFiles.OVERLAYS.resolve("external-loki"));
    private final Manifests base = Manifests.render(ModuleFiles.BASE);

    @Test
    void nothingRefersToTheInNamespaceLokiAnyMore() {
        assertThat(inNamespaceLoki(base))
                .as("the check finds the base's own Loki")
                .isNotEmpty();

        assertThat(inNamespaceLoki(overlay)).isEmpty();
        assertThat(overlay.ofKind("ConfigMap"))
                .extracting(Manifests::name)
                .noneMatch(name -> name.startsWith("loki-config"));
    }

    /** What deploys, admits or addresses a Loki in the stack's namespace: "Kind/name: where". */
    private static List<String> inNamespaceLoki(Manifests manifests) {
        List<String> found = new ArrayList<>();
        for (Map<String, Object> object : manifests.objects()) {
            if ("loki".equals(Manifests.name(object))) {
                found.add(id(object) + ": is the in-namespace Loki");
            }
            if ("loki".equals(Yaml.text(object, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"))) {
                found.add(id(object) + ": admits traffic to Loki's pods");
            }
            collectAddresses(id(object), "", object, found);
        }
        return found;
    }

    private static void collectAddresses(String who, String path, Object node, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectAddresses(who, path + "/" + key, value, found));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectAddresses(who, path + "/" + i, list.get(i), found);
            }
        } else if (node != null) {
            // configuration files inside ConfigMaps are scanned as text, comments included
            Matcher address = IN_NAMESPACE_LOKI.matcher(String.valueOf(node));
            while (address.find()) {
                found.add(who + ": " + path + " addresses the in-namespace Loki");
            }
        }
    }

    /** The stack's collector and a user's service alike: the user's Loki, tenant and credentials from the Secret. */
    @ParameterizedTest
    @ValueSource(strings = {"stack", "user's service"})
    void everyShipperPushesToTheUsersLokiWithTheSecretsCredentials(String which) {
        Manifests manifests = which.equals("stack") ? overlay : Manifests.render(ModuleFiles.EXTERNAL_LOKI_FIXTURE);
        Map<String, Object> settings = manifests.get("ConfigMap", "sightline-log-sidecar");
        String passwordFile = Yaml.text(settings, "data", "LOKI_PASSWORD_FILE");

        assertThat(Yaml.text(settings, "data", "LOKI_URL")).isEqualTo(externalUrl());
        assertThat(Yaml.text(settings, "data", "SIGHTLINE_SINK")).isEqualTo("loki");
        List<Map<String, Object>> shippers = manifests.workloads().stream()
                .filter(w -> "true".equals(Yaml.text(w, "metadata", "labels", "sightline.io/log-sidecar")))
                .toList();
        assertThat(shippers).isNotEmpty();
        for (Map<String, Object> workload : shippers) {
            Map<String, Object> template = podTemplate(workload);
            Map<String, Object> sidecar = allContainers(template).stream()
                    .filter(c -> "log-sidecar".equals(c.get("name")))
                    .findFirst()
                    .orElseThrow();
            assertThat(secretKey(sidecar, "LOKI_TENANT_ID")).as(id(workload)).isEqualTo(SECRET + "/tenant");
            assertThat(secretKey(sidecar, "LOKI_USERNAME")).as(id(workload)).isEqualTo(SECRET + "/username");
            String mountPath = KustomizeRenderTest.mountPath(sidecar, SECRET);
            assertThat(passwordFile).as(id(workload)).isEqualTo(mountPath + "/password");
            assertThat(Yaml.maps(template, "spec", "volumes"))
                    .anySatisfy(v ->
                            assertThat(Yaml.text(v, "secret", "secretName")).isEqualTo(SECRET));
        }
    }

    /** The user's service with both components still meets the policy and the API schema. */
    @Test
    void aUsersServiceWithItsOwnLokiMeetsThePolicy() {
        assertThat(ManifestPolicy.check(Manifests.render(ModuleFiles.EXTERNAL_LOKI_FIXTURE)))
                .isEmpty();
    }

    /** Grafana's loki datasource: the same URL (from the sidecars' settings), tenant and credentials. */
    @Test
    void grafanaQueriesTheUsersLokiWithTheSameCredentials() {
        Map<String, Object> loki = datasource(overlay, "loki");
        Map<String, Object> grafana = Yaml.maps(podTemplate(overlay.get("Deployment", "grafana")), "spec", "containers")
                .get(0);

        assertThat(environmentSource(grafana, variable(Yaml.text(loki, "url"))))
                .isEqualTo("configMap sightline-log-sidecar/LOKI_URL");
        assertThat(Yaml.text(loki, "jsonData", "httpHeaderName1")).isEqualTo("X-Scope-OrgID");
        assertThat(environmentSource(grafana, variable(Yaml.text(loki, "secureJsonData", "httpHeaderValue1"))))
                .isEqualTo("secret " + SECRET + "/tenant");
        assertThat(Yaml.isTrue(loki, "basicAuth")).isTrue();
        assertThat(environmentSource(grafana, variable(Yaml.text(loki, "basicAuthUser"))))
                .isEqualTo("secret " + SECRET + "/username");
        assertThat(environmentSource(grafana, variable(Yaml.text(loki, "secureJsonData", "basicAuthPassword"))))
                .isEqualTo("secret " + SECRET + "/password");

        assertThat(Yaml.map(loki, "jsonData", "derivedFields"))
                .as("log → trace links as in the base")
                .isEqualTo(Yaml.map(datasource(base, "loki"), "jsonData", "derivedFields"));
        List<Map<String, Object>> others = datasources(overlay).stream()
                .filter(d -> !"loki".equals(d.get("uid")))
                .toList();
        assertThat(others)
                .as("every other datasource exactly as in the base")
                .isEqualTo(datasources(base).stream()
                        .filter(d -> !"loki".equals(d.get("uid")))
                        .toList());
    }

    @Test
    void theGuideTellsHowToCreateTheSecretAndWhenToMove() {
        String guide = ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE);

        assertThat(guide)
                .contains("## Beyond one machine")
                .contains("create secret generic " + SECRET)
                .contains("components/external-loki");
    }

    private String externalUrl() {
        Map<String, Object> settings =
                Yaml.load(ModuleFiles.read(ModuleFiles.MODULE.resolve("components/external-loki/settings.yaml")));
        return Yaml.text(settings, "data", "LOKI_URL");
    }

    private static List<Map<String, Object>> datasources(Manifests manifests) {
        return Yaml.maps(
                Yaml.load(configData(manifests.generatedConfigMap("grafana-provisioning"), "datasources.yaml")),
                "datasources");
    }

    private static Map<String, Object> datasource(Manifests manifests, String uid) {
        return datasources(manifests).stream()
                .filter(d -> uid.equals(d.get("uid")))
                .findFirst()
                .orElseThrow();
    }

    /** The NAME of a value that is exactly "$NAME" (Grafana expands it from its environment). */
    private static String variable(String value) {
        assertThat(value).matches("\\$[A-Z_]+");
        return value.substring(1);
    }

    /** "configMap name/key" or "secret name/key" an environment variable of the container is read from. */
    private static String environmentSource(Map<String, Object> container, String variable) {
        Map<String, Object> env = Yaml.maps(container, "env").stream()
                .filter(e -> variable.equals(e.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no environment variable " + variable));
        for (String kind : List.of("configMap", "secret")) {
            Map<String, Object> ref = Yaml.map(env, "valueFrom", kind + "KeyRef");
            if (!ref.isEmpty()) {
                return kind + " " + ref.get("name") + "/" + ref.get("key");
            }
        }
        return "value " + env.get("value");
    }

    private static String secretKey(Map<String, Object> container, String variable) {
        String source = environmentSource(container, variable);
        assertThat(source).startsWith("secret ");
        return source.substring("secret ".length());
    }
}
