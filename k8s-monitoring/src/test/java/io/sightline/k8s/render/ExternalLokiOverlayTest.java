package io.sightline.k8s.render;

import java.net.URI;
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

    private static final String NODE_AGENT = "sightline-node-agent";

    private final Manifests overlay = Manifests.render(ModuleFiles.OVERLAYS.resolve("external-loki"));
    private final Manifests base = Manifests.render(ModuleFiles.BASE);
    /** What the overlay replaces: the whole stack as the module's kustomization deploys it (base and node agent). */
    private final Manifests stack = Manifests.render(ModuleFiles.MODULE);

    @Test
    void nothingRefersToTheInNamespaceLokiAnyMore() {
        assertThat(inNamespaceLoki(stack))
                .as("the check finds the stack's own Loki, and the node agent's address of it and way out to it")
                .contains(
                        "StatefulSet/loki: is the in-namespace Loki",
                        "ConfigMap/" + NODE_AGENT + ": /data/LOKI_URL addresses the in-namespace Loki",
                        "NetworkPolicy/" + NODE_AGENT + ": lets traffic out to Loki's pods");

        assertThat(overlay.workloads())
                .as("the overlay deploys every shipper of the stack, the node agent included")
                .extracting(Manifests::id)
                .contains("DaemonSet/" + NODE_AGENT, "Deployment/sightline-event-collector");
        assertThat(inNamespaceLoki(overlay)).isEmpty();
        assertThat(overlay.ofKind("ConfigMap"))
                .extracting(Manifests::name)
                .noneMatch(name -> name.startsWith("loki-config"));
    }

    /**
     * No rule watches the Loki the overlay took away (LokiDown, an absent(), would fire forever; the others would read
     * nothing), nothing is scraped as one, and the shippers' own alerts still say when the user's Loki does not take
     * the logs.
     */
    @Test
    void noRuleWatchesTheLokiThatIsNotThere() {
        assertThat(rulesReadingLoki(base))
                .as("the check finds the base's Loki alerts")
                .contains("LokiDown", "LokiRequestErrors", "LokiDiscardingSamples");

        assertThat(rulesReadingLoki(overlay)).isEmpty();
        assertThat(rules(overlay))
                .extracting(rule -> Yaml.text(rule, "alert"))
                .contains("LogSidecarSendFailing", "LogSidecarLagGrowing", "LogSidecarDroppingRecords", "TempoDown");
        assertThat(configData(overlay.generatedConfigMap("prometheus-config"), "prometheus.yml"))
                .doesNotContainPattern("(?i)job_name:.*loki");
        assertThat(overlay.workloads())
                .as("nothing is scraped under the job <namespace>/loki")
                .noneMatch(
                        w -> "loki".equals(Yaml.text(podTemplate(w), "metadata", "labels", "app.kubernetes.io/name")));
    }

    /** Alert and recording rules of the rendered rule ConfigMap that read Loki's metrics or its scrape job. */
    private static List<String> rulesReadingLoki(Manifests manifests) {
        Pattern readsLoki = Pattern.compile("\\bloki_|/loki\\b");
        return rules(manifests).stream()
                .filter(rule -> readsLoki.matcher(Yaml.text(rule, "expr")).find())
                .map(rule -> rule.containsKey("alert") ? Yaml.text(rule, "alert") : Yaml.text(rule, "record"))
                .toList();
    }

    private static List<Map<String, Object>> rules(Manifests manifests) {
        Map<String, Object> ruleFiles = Yaml.map(manifests.generatedConfigMap("prometheus-rules"), "data");
        assertThat(ruleFiles).isNotEmpty();
        return ruleFiles.values().stream()
                .flatMap(file -> Yaml.maps(Yaml.load(String.valueOf(file)), "groups").stream())
                .flatMap(group -> Yaml.maps(group, "rules").stream())
                .toList();
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
            if (Yaml.maps(object, "spec", "egress").stream()
                    .flatMap(rule -> Yaml.maps(rule, "to").stream())
                    .anyMatch(peer ->
                            "loki".equals(Yaml.text(peer, "podSelector", "matchLabels", "app.kubernetes.io/name")))) {
                found.add(id(object) + ": lets traffic out to Loki's pods");
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

    /**
     * The node agent, in its own namespace, ships to the same URL (written once, in components/external-loki) with the
     * tenant and credentials of a Secret of the same name in its namespace (a pod reads Secrets of its own namespace
     * only), the password as a file; and its NetworkPolicy lets it out to the port of that URL instead of to the
     * in-namespace Loki's pods.
     */
    @Test
    void theNodeAgentPushesToTheUsersLokiWithTheSecretOfItsNamespace() {
        Map<String, Object> settings = overlay.get("ConfigMap", NODE_AGENT);
        Map<String, Object> daemonSet = overlay.get("DaemonSet", NODE_AGENT);
        Map<String, Object> template = podTemplate(daemonSet);
        Map<String, Object> agent = Yaml.maps(template, "spec", "containers").get(0);

        assertThat(Manifests.namespace(daemonSet)).isEqualTo(NODE_AGENT);
        assertThat(Yaml.text(settings, "data", "LOKI_URL")).isEqualTo(externalUrl());
        assertThat(Yaml.text(settings, "data", "SIGHTLINE_MODE")).isEqualTo("node");
        assertThat(secretKey(agent, "LOKI_TENANT_ID")).isEqualTo(SECRET + "/tenant");
        assertThat(secretKey(agent, "LOKI_USERNAME")).isEqualTo(SECRET + "/username");
        assertThat(Yaml.text(settings, "data", "LOKI_PASSWORD_FILE"))
                .isEqualTo(KustomizeRenderTest.mountPath(agent, SECRET) + "/password");
        assertThat(Yaml.maps(template, "spec", "volumes"))
                .anySatisfy(
                        v -> assertThat(Yaml.text(v, "secret", "secretName")).isEqualTo(SECRET));

        List<Map<String, Object>> egress = Yaml.maps(overlay.get("NetworkPolicy", NODE_AGENT), "spec", "egress");
        int port = defaultPort(URI.create(externalUrl()));
        assertThat(egress)
                .as("a rule for the user's Loki: the port of its URL, any address (a policy cannot name a host)")
                .anySatisfy(rule -> assertThat(Yaml.maps(rule, "ports"))
                        .anySatisfy(
                                p -> assertThat(p).containsEntry("port", port).containsEntry("protocol", "TCP")));
        assertThat(egress)
                .as("DNS and the API server as in node-agent/")
                .containsAll(Yaml.maps(stack.get("NetworkPolicy", NODE_AGENT), "spec", "egress").stream()
                        .filter(rule -> Yaml.maps(rule, "to").stream().noneMatch(peer -> !Yaml.map(peer, "podSelector")
                                .isEmpty()))
                        .toList());
    }

    private static int defaultPort(URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return "https".equals(url.getScheme()) ? 443 : 80;
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
