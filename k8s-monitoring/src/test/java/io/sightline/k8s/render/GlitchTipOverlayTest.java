package io.sightline.k8s.render;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;

import static io.sightline.k8s.support.Manifests.allContainers;
import static io.sightline.k8s.support.Manifests.id;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GlitchTip cannot run here (no container runtime); overlays/glitchtip is rendered and checked for what GlitchTip
 * documents it needs: web and worker processes of one pinned image with the same settings, migrations before the web
 * server starts, PostgreSQL on a persistent volume, Valkey, secrets only from the user's Secret, and network access to
 * the database and queue for GlitchTip alone. The restricted security context and probes are checked for every
 * overlay by ManifestPolicyTest.
 */
class GlitchTipOverlayTest {

    private static final String SECRET = "glitchtip";

    private final Manifests overlay = Manifests.render(ModuleFiles.OVERLAYS.resolve("glitchtip"));
    private final Map<String, Object> web = overlay.get("Deployment", "glitchtip-web");
    private final Map<String, Object> worker = overlay.get("Deployment", "glitchtip-worker");
    private final Map<String, Object> settings = overlay.get("ConfigMap", "glitchtip-settings");

    @Test
    void webAndWorkerRunOnePinnedImageWithTheSameSettings() {
        Map<String, Object> webContainer = container(web, 0);
        Map<String, Object> workerContainer = container(worker, 0);

        assertThat(Yaml.text(webContainer, "image"))
                .matches("docker\\.io/glitchtip/glitchtip:\\d+\\.\\d+\\.\\d+")
                .isEqualTo(Yaml.text(workerContainer, "image"));
        assertThat(Yaml.list(webContainer, "envFrom")).isEqualTo(Yaml.list(workerContainer, "envFrom"));
        assertThat(role(webContainer)).isEqualTo("web");
        assertThat(role(workerContainer)).isEqualTo("worker");
        assertThat(Yaml.text(webContainer, "readinessProbe", "httpGet", "path")).isEqualTo("/_health/");
    }

    /** The web pod migrates before it serves, with the web server's image and settings: an upgrade migrates first. */
    @Test
    void migrationsRunBeforeTheWebServer() {
        List<Map<String, Object>> init = Yaml.maps(podTemplate(web), "spec", "initContainers");

        assertThat(init).singleElement().satisfies(migrate -> {
            assertThat(Yaml.list(migrate, "command")).containsExactly("./bin/run-migrate.sh");
            assertThat(Yaml.text(migrate, "restartPolicy"))
                    .as("runs to completion first")
                    .isNull();
            assertThat(Yaml.text(migrate, "image")).isEqualTo(Yaml.text(container(web, 0), "image"));
            assertThat(Yaml.list(migrate, "envFrom")).isEqualTo(Yaml.list(container(web, 0), "envFrom"));
        });
        assertThat(Yaml.text(web, "spec", "replicas"))
                .as("one pod migrates at a time")
                .isEqualTo("1");
    }

    @Test
    void postgresKeepsItsDataOnAPersistentVolume() {
        Map<String, Object> postgres = overlay.get("StatefulSet", "glitchtip-postgres");
        Map<String, Object> claim =
                Yaml.maps(postgres, "spec", "volumeClaimTemplates").get(0);

        assertThat(Yaml.text(claim, "spec", "resources", "requests", "storage")).isEqualTo("30Gi");
        assertThat(KustomizeRenderTest.mountPath(container(postgres, 0), Yaml.text(claim, "metadata", "name")))
                .isEqualTo("/var/lib/postgresql/data");
        assertThat(envValue(container(postgres, 0), "PGDATA"))
                .as("a subdirectory of the volume (its root may hold lost+found)")
                .startsWith("/var/lib/postgresql/data/");
    }

    /** Every credential comes from the user's Secret; the repository holds none, the guide says how to create it. */
    @Test
    void credentialsComeFromTheUsersSecretOnly() {
        for (Map<String, Object> workload : List.of(web, worker)) {
            for (Map<String, Object> c : allContainers(podTemplate(workload))) {
                assertThat(Yaml.maps(c, "envFrom"))
                        .as("%s %s", id(workload), c.get("name"))
                        .anySatisfy(from ->
                                assertThat(Yaml.text(from, "secretRef", "name")).isEqualTo(SECRET));
                assertThat(Yaml.maps(c, "env"))
                        .extracting(e -> String.valueOf(e.get("name")))
                        .noneMatch(name -> name.matches(".*(SECRET|PASSWORD|DATABASE_URL).*"));
            }
        }
        assertThat(Yaml.map(settings, "data"))
                .doesNotContainKeys("SECRET_KEY", "DATABASE_PASSWORD", "DATABASE_URL", "EMAIL_URL");
        Map<String, Object> password =
                Yaml.maps(container(overlay.get("StatefulSet", "glitchtip-postgres"), 0), "env").stream()
                        .filter(e -> "POSTGRES_PASSWORD".equals(e.get("name")))
                        .findFirst()
                        .orElseThrow();
        assertThat(Yaml.map(password, "valueFrom", "secretKeyRef"))
                .containsEntry("name", SECRET)
                .containsEntry("key", "DATABASE_PASSWORD");
        assertThat(overlay.ofKind("Secret")).isEmpty();

        String command = "create secret generic " + SECRET;
        for (String text : List.of(
                ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE),
                ModuleFiles.read(ModuleFiles.OVERLAYS.resolve("glitchtip/kustomization.yaml")))) {
            String line = text.substring(text.indexOf(command), text.indexOf(command) + 200);
            assertThat(line).contains("--from-literal=SECRET_KEY=", "--from-literal=DATABASE_PASSWORD=");
        }
    }

    /** The settings point GlitchTip at the bundled PostgreSQL and Valkey Services, by name and port. */
    @Test
    void settingsAddressTheBundledDatabaseAndQueue() {
        Map<String, Object> postgres = overlay.get("Service", "glitchtip-postgres");
        Map<String, Object> valkey = overlay.get("Service", "glitchtip-valkey");
        URI valkeyUrl = URI.create(Yaml.text(settings, "data", "VALKEY_URL"));

        assertThat(Yaml.text(settings, "data", "DATABASE_HOST")).isEqualTo(Manifests.name(postgres));
        assertThat(Yaml.text(settings, "data", "DATABASE_PORT"))
                .isEqualTo(Yaml.text(postgres, "spec", "ports", "0", "port"));
        assertThat(valkeyUrl.getHost()).isEqualTo(Manifests.name(valkey));
        assertThat(String.valueOf(valkeyUrl.getPort())).isEqualTo(Yaml.text(valkey, "spec", "ports", "0", "port"));
        assertThat(Yaml.text(settings, "data", "GLITCHTIP_MAX_EVENT_LIFE_DAYS")).isNotBlank();
        assertThat(Yaml.text(settings, "data", "ENABLE_USER_REGISTRATION")).isEqualTo("False");
    }

    /** Only GlitchTip's web and worker reach its database and queue; nothing reaches the worker. */
    @Test
    void databaseAndQueueAdmitOnlyGlitchTip() {
        for (String store : List.of("glitchtip-postgres", "glitchtip-valkey")) {
            List<Map<String, Object>> ingress = Yaml.maps(overlay.get("NetworkPolicy", store), "spec", "ingress");
            String port = Yaml.text(overlay.get("Service", store), "spec", "ports", "0", "port");

            assertThat(ingress).singleElement().satisfies(rule -> {
                assertThat(Yaml.maps(rule, "from"))
                        .extracting(f -> Yaml.text(f, "podSelector", "matchLabels", "app.kubernetes.io/name"))
                        .containsExactlyInAnyOrder("glitchtip-web", "glitchtip-worker");
                assertThat(Yaml.maps(rule, "from"))
                        .allSatisfy(f -> assertThat(f).doesNotContainKey("namespaceSelector"));
                assertThat(Yaml.maps(rule, "ports"))
                        .extracting(p -> String.valueOf(p.get("port")))
                        .containsExactly(port);
            });
        }
        assertThat(Yaml.list(overlay.get("NetworkPolicy", "glitchtip-worker"), "spec", "ingress"))
                .isEmpty();
    }

    /** The demo service reads its DSN from a Secret it may lack: without it, nothing of Sentry starts. */
    @Test
    void theDemoServiceTakesItsDsnFromAnOptionalSecret() {
        Map<String, Object> demo =
                container(Manifests.render(ModuleFiles.DEMO_OVERLAY).get("Deployment", "demo-service"), 0);
        Map<String, Object> dsn = Yaml.maps(demo, "env").stream()
                .filter(e -> "SENTRY_DSN".equals(e.get("name")))
                .findFirst()
                .orElseThrow();

        assertThat(Yaml.map(dsn, "valueFrom", "secretKeyRef"))
                .containsEntry("name", "sentry-dsn")
                .containsEntry("key", "dsn")
                .containsEntry("optional", true);
    }

    private static Map<String, Object> container(Map<String, Object> workload, int index) {
        return Yaml.maps(podTemplate(workload), "spec", "containers").get(index);
    }

    private static String role(Map<String, Object> container) {
        return envValue(container, "SERVER_ROLE");
    }

    private static String envValue(Map<String, Object> container, String name) {
        return Yaml.maps(container, "env").stream()
                .filter(e -> name.equals(e.get("name")))
                .map(e -> Yaml.text(e, "value"))
                .findFirst()
                .orElse(null);
    }
}
