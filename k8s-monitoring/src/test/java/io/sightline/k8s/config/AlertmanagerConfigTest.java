package io.sightline.k8s.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Alertmanager configuration as the pod gets it: the ConfigMap's template rendered by the StatefulSet's init
 * container (its script run for real with {@code sh}) from placeholder files in place of the user's Secret, then
 * checked with the real {@code amtool}: it loads, routes by severity, sends the Watchdog to the heartbeat URL of the
 * Secret; receivers read their credentials from the Secret, whose keys are documented.
 */
class AlertmanagerConfigTest {

    private static final Pattern FILE_FIELD = Pattern.compile("^\\s*\\w+_file:\\s*(\\S+)\\s*$", Pattern.MULTILINE);
    /** A URL with every character sed or a shell would trip over. */
    static final String HEARTBEAT_URL = "https://hc-ping.example.com/ping/abc?x=1&y=a|b&z=$HOME%20;";

    @TempDir
    static Path dir;

    static AlertmanagerSetup setup;
    static Path configFile;
    static Map<String, Object> rendered;

    @BeforeAll
    static void renderWithPlaceholderSecret() throws Exception {
        setup = new AlertmanagerSetup(dir);
        for (String key : secretKeys()) {
            setup.secretKey(key, "https://placeholder.invalid/" + key);
        }
        setup.secretKey(setup.heartbeatKey(), HEARTBEAT_URL + "\n");
        Tool.Result result = setup.render();
        assertThat(result.exitCode()).as(result.output()).isZero();
        configFile = setup.renderedConfig();
        rendered = Yaml.load(Files.readString(configFile));
    }

    @Test
    void amtoolAcceptsTheRenderedConfiguration() {
        String output =
                Tool.AMTOOL.run(dir, "check-config", configFile.toString()).assertSuccess();

        assertThat(output).contains("SUCCESS").contains("2 inhibit rules");
    }

    /** The heartbeat URL of the Secret, character for character; the template itself holds none. */
    @Test
    void watchdogReceiverPostsToTheHeartbeatUrlOfTheSecret() {
        Map<String, Object> watchdog = receiver(rendered, "watchdog");

        assertThat(Yaml.maps(watchdog, "webhook_configs")).singleElement().satisfies(webhook -> assertThat(webhook)
                .containsEntry("url", HEARTBEAT_URL)
                .containsEntry("send_resolved", false));
        assertThat(setup.template()).doesNotContain("hc-ping").contains("${HEARTBEAT_URL}");
    }

    /** Without the key the pod still starts: the Watchdog goes nowhere, and the init container's log says so. */
    @Test
    void withoutAHeartbeatUrlTheWatchdogReceiverIsEmptyAndTheLogSaysSo(@TempDir Path other) throws Exception {
        AlertmanagerSetup noHeartbeat = new AlertmanagerSetup(other);
        for (String key : secretKeys()) {
            noHeartbeat.secretKey(key, "https://placeholder.invalid/" + key);
        }

        Tool.Result result = noHeartbeat.render();

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("no heartbeat URL", "docs/k8s-monitoring.md#watchdog");
        Path config = noHeartbeat.renderedConfig();
        assertThat(receiver(Yaml.load(Files.readString(config)), "watchdog")).doesNotContainKey("webhook_configs");
        assertThat(Tool.AMTOOL.run(other, "check-config", config.toString()).assertSuccess())
                .contains("SUCCESS");
    }

    /** A value Alertmanager would reject (or that would break the YAML) stops the pod with a message instead. */
    @ParameterizedTest
    @ValueSource(
            strings = {"hc-ping.example.com/abc", "https://a.example.com/x y", "https://a.example.com/\"x", "ftp://x"})
    void renderRefusesWhatIsNotOneHttpUrl(String value, @TempDir Path other) {
        AlertmanagerSetup bad = new AlertmanagerSetup(other);
        bad.secretKey(bad.heartbeatKey(), value);

        Tool.Result result = bad.render();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("watchdog-url", "alertmanager-receivers");
    }

    @ParameterizedTest
    @CsvSource({
        "alertname=ServiceAvailabilityBudgetBurn severity=critical, critical",
        "alertname=JvmHeapFillingUp severity=warning, warning",
        "alertname=Watchdog severity=none, watchdog",
        "alertname=Anything severity=none, silent",
        // no route matches: the default receiver, so an unlabelled alert still reaches people
        "alertname=Unlabelled, warning"
    })
    void routesBySeverityAndWatchdog(String labels, String receiver) {
        List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + configFile));
        args.addAll(List.of(labels.split(" ")));

        String output = Tool.AMTOOL.run(dir, args.toArray(String[]::new)).assertSuccess();

        assertThat(output.lines().filter(l -> !l.startsWith("Warning:")).toList())
                .containsExactly(receiver);
    }

    @Test
    void criticalInhibitsWarningOfTheSameAlert() {
        Map<String, Object> inhibit = Yaml.maps(rendered, "inhibit_rules").get(0);

        assertThat(Yaml.list(inhibit, "source_matchers")).containsExactly("severity=\"critical\"");
        assertThat(Yaml.list(inhibit, "target_matchers")).containsExactly("severity=\"warning\"");
        assertThat(Yaml.list(inhibit, "equal")).contains("alertname", "namespace", "application", "pod");
    }

    @Test
    void credentialsComeOnlyFromTheMountedSecret() {
        assertThat(secretKeys()).isNotEmpty();
        Matcher m = FILE_FIELD.matcher(setup.template());
        while (m.find()) {
            assertThat(m.group(1))
                    .as("credential files are read from the Secret mount")
                    .startsWith(setup.secretMountPath());
        }
        assertThat(setup.template()).doesNotContainPattern("(api_url|routing_key|service_key|auth_password):");
        assertThat(Yaml.maps(setup.pod(), "volumes")).anySatisfy(v -> assertThat(Yaml.text(v, "secret", "secretName"))
                .isEqualTo(AlertmanagerSetup.SECRET));
    }

    @Test
    void everySecretKeyIsDocumented() {
        String guide = ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE);
        List<String> keys = new ArrayList<>(secretKeys());
        keys.add(setup.heartbeatKey());

        assertThat(keys).allSatisfy(key -> assertThat(guide).contains("--from-literal=" + key + "="));
    }

    static Map<String, Object> receiver(Map<String, Object> config, String name) {
        return Yaml.maps(config, "receivers").stream()
                .filter(r -> name.equals(r.get("name")))
                .findFirst()
                .orElseThrow();
    }

    /** The keys of the Secret alertmanager-receivers the template's {@code *_file} fields read. */
    static List<String> secretKeys() {
        String config = ModuleFiles.read(ModuleFiles.BASE.resolve("alertmanager/alertmanager.yml"));
        List<String> keys = new ArrayList<>();
        Matcher m = FILE_FIELD.matcher(config);
        while (m.find()) {
            String key = m.group(1).substring(m.group(1).lastIndexOf('/') + 1);
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
