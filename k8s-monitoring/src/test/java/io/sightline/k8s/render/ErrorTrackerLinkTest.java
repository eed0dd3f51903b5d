package io.sightline.k8s.render;

import java.util.Map;
import java.util.regex.Pattern;

import io.sightline.k8s.policy.ManifestPolicy;
import io.sightline.k8s.support.ContainerEnvironment;
import io.sightline.k8s.support.GrafanaProvisioningValues;
import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.sightline.k8s.support.Manifests.configData;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * From an error on the dashboards to its issues in the error tracker: the Loki datasource's derived field
 * {@code stack_hash} (a link in the details of every log line whose query parsed the field, as the Errors dashboard's
 * logs panel and Explore with {@code | json} do) takes its URL from Grafana's environment variable
 * SIGHTLINE_ERROR_TRACKER_URL, which only components/glitchtip sets. GlitchTip lists the issues carrying a tag at
 * {@code <GLITCHTIP_DOMAIN>/<organisation slug>/issues?query=<key>:<value>} (its frontend's route
 * {@code :org-slug/issues} with the {@code query} parameter, which its API filters by tag), and the starter tags every
 * event with an exception with the log line's {@code stack_hash} (contract section 2).
 *
 * <p>Neither Grafana nor a kubelet runs here: the URL Grafana would use is computed from the rendered manifests with
 * {@link ContainerEnvironment} (the kubelet's environment of the Grafana container) and
 * {@link GrafanaProvisioningValues} (Grafana's expansion of its provisioning files).
 */
class ErrorTrackerLinkTest {

    /** Grafana's placeholder for the derived field's value: the line's stack_hash. */
    private static final String HASH = "${__value.raw}";

    private final Manifests overlay = Manifests.render(ModuleFiles.OVERLAYS.resolve("glitchtip"));

    /** Without the component nothing points to a tracker that is not there: the field is shown without a link. */
    @ParameterizedTest
    @ValueSource(strings = {"base", "stack", "overlays/external-loki"})
    void withoutATrackerTheStackHashLinksNowhere(String which) {
        Manifests manifests = Manifests.render(
                switch (which) {
                    case "base" -> ModuleFiles.BASE;
                    case "stack" -> ModuleFiles.MODULE;
                    default -> ModuleFiles.MODULE.resolve(which);
                });

        assertThat(stackHashField(manifests))
                .as("the field is there, so the component only has to set the URL")
                .containsEntry("matcherType", "label")
                .containsEntry("matcherRegex", "stack_hash");
        assertThat(linkUrl(manifests))
                .as("Grafana adds no link for an empty URL")
                .isEmpty();
        assertThat(manifests.objects()).extracting(Manifests::name).noneMatch(name -> name.startsWith("glitchtip"));
    }

    @Test
    void glitchTipOverlayLinksAStackHashToItsIssuesInGlitchTip() {
        Map<String, Object> settings = Yaml.map(overlay.get("ConfigMap", "glitchtip-settings"), "data");

        assertThat(linkUrl(overlay))
                .isEqualTo(settings.get("GLITCHTIP_DOMAIN") + "/" + settings.get("SIGHTLINE_GLITCHTIP_ORGANIZATION")
                        + "/issues?query=stack_hash:" + HASH)
                .as("the defaults: the port-forward address and the organisation the guide tells users to create")
                .isEqualTo("http://localhost:8000/sightline/issues?query=stack_hash:" + HASH);
        assertThat(stackHashField(overlay))
                .as("an external link, opened beside Grafana")
                .doesNotContainKey("datasourceUid")
                .containsEntry("targetBlank", true);
    }

    /** A user's overlay: the stack on the user's own Loki, GlitchTip at the user's address and organisation. */
    @Test
    void theLinkFollowsTheUsersSettingsAlongsideTheirOwnLoki() {
        Manifests combined = Manifests.render(ModuleFiles.EXTERNAL_LOKI_WITH_GLITCHTIP_FIXTURE);
        Map<String, String> grafana = grafanaEnvironment(combined);

        assertThat(linkUrl(combined)).isEqualTo("https://glitchtip.example.com/acme/issues?query=stack_hash:" + HASH);
        assertThat(GrafanaProvisioningValues.expand(Yaml.text(loki(combined), "url"), grafana))
                .as("Grafana still queries the user's Loki")
                .isEqualTo(Yaml.text(
                        Yaml.load(
                                ModuleFiles.read(ModuleFiles.MODULE.resolve("components/external-loki/settings.yaml"))),
                        "data",
                        "LOKI_URL"));
        assertThat(combined.find("StatefulSet", "loki")).isEmpty();
        assertThat(ManifestPolicy.check(combined)).isEmpty();
    }

    /**
     * GlitchTip runs in the stack's namespace (Grafana reads glitchtip-settings there, applications reach
     * glitchtip-web.&lt;namespace&gt;.svc), named only where base/ or the user's overlay names it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"overlay", "with external-loki"})
    void glitchTipRunsInTheStacksNamespace(String which) {
        Manifests manifests =
                which.equals("overlay") ? overlay : Manifests.render(ModuleFiles.EXTERNAL_LOKI_WITH_GLITCHTIP_FIXTURE);
        String stack = Manifests.namespace(manifests.get("Deployment", "grafana"));

        assertThat(stack).isEqualTo(NamespaceTest.DEFAULT);
        assertThat(manifests.objects().stream().filter(o -> Manifests.name(o).startsWith("glitchtip")))
                .hasSizeGreaterThan(10)
                .allSatisfy(o ->
                        assertThat(Manifests.namespace(o)).as(Manifests.id(o)).isEqualTo(stack));
        assertThat(ModuleFiles.read(ModuleFiles.GLITCHTIP_COMPONENT.resolve("kustomization.yaml")))
                .doesNotContainPattern("(?m)^namespace:");
    }

    /**
     * The ERROR lines of the Errors and Logs dashboards parse the field the link matches, under the contract's name
     * (the Errors dashboard's table of stack hashes opens their lines in the Logs dashboard).
     */
    @ParameterizedTest
    @ValueSource(strings = {"errors", "logs"})
    void theDashboardsErrorLinesParseTheStackHashTheLinkMatches(String dashboard) {
        Manifests base = Manifests.render(ModuleFiles.BASE);
        Map<String, Object> json = Yaml.load(configData(
                base.get("ConfigMap", "grafana-dashboard-" + dashboard), "sightline-" + dashboard + ".json"));
        Pattern parsesStackHash = Pattern.compile("\\| json [^|]*\\bstack_hash=\"stack_hash\"");

        assertThat(Yaml.maps(json, "panels"))
                .filteredOn(panel -> "logs".equals(panel.get("type")))
                .flatExtracting(panel -> Yaml.maps(panel, "targets"))
                .extracting(target -> Yaml.text(target, "expr"))
                .anyMatch(expr -> parsesStackHash.matcher(expr).find());
        assertThat(ModuleFiles.read(ModuleFiles.CONTRACT)).contains("| `stack_hash` |", "`stack_hash`, with the same");
    }

    /** The guide says how to get from a dashboard to GlitchTip, how to combine it with an own Loki, and Sentry's URL. */
    @Test
    void theGuideShowsTheWayToTheTrackerAndWhatSentryNeeds() {
        String guide = ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE);
        String section = guide.substring(guide.indexOf("### Error tracking"), guide.indexOf("## Loki limits"));

        assertThat(section)
                .contains("components/glitchtip", "overlays/external-loki", "SIGHTLINE_GLITCHTIP_ORGANIZATION")
                .contains("SIGHTLINE_ERROR_TRACKER_URL")
                .contains("/organizations/<org>/issues/?query=stack_hash:" + HASH);
    }

    private static Map<String, Object> stackHashField(Manifests manifests) {
        return Yaml.maps(loki(manifests), "jsonData", "derivedFields").stream()
                .filter(field -> "stack_hash".equals(field.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no derived field stack_hash in " + manifests.kustomization()));
    }

    /** The URL Grafana gives the derived field: the provisioning file's value expanded from Grafana's environment. */
    private static String linkUrl(Manifests manifests) {
        return GrafanaProvisioningValues.expand(
                Yaml.text(stackHashField(manifests), "url"), grafanaEnvironment(manifests));
    }

    private static Map<String, String> grafanaEnvironment(Manifests manifests) {
        return ContainerEnvironment.of(manifests, manifests.get("Deployment", "grafana"), "grafana");
    }

    private static Map<String, Object> loki(Manifests manifests) {
        return Yaml.maps(
                        Yaml.load(configData(manifests.generatedConfigMap("grafana-provisioning"), "datasources.yaml")),
                        "datasources")
                .stream()
                .filter(d -> "loki".equals(d.get("uid")))
                .findFirst()
                .orElseThrow();
    }
}
