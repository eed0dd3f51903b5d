package io.sightline.k8s.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Alertmanager configuration as rendered, checked with the real {@code amtool}: it loads, routes by severity and
 * sends the Watchdog to its own receiver; receivers read their credentials from the user's Secret, whose keys are
 * documented. Placeholder files stand in for the Secret's keys, at a temp path instead of the mount path.
 */
class AlertmanagerConfigTest {

    private static final Pattern FILE_FIELD = Pattern.compile("^\\s*\\w+_file:\\s*(\\S+)\\s*$", Pattern.MULTILINE);
    private static final String RECEIVERS_MOUNT = "/etc/alertmanager/receivers/";

    @TempDir
    static Path dir;

    static Path configFile;
    static String renderedConfig;

    @BeforeAll
    static void writeConfigWithPlaceholderReceivers() throws IOException {
        renderedConfig = configData(
                Manifests.render(ModuleFiles.BASE).generatedConfigMap("alertmanager-config"), "alertmanager.yml");
        Path receivers = Files.createDirectories(dir.resolve("receivers"));
        for (String key : secretKeys()) {
            Files.writeString(receivers.resolve(key), "https://placeholder.invalid/" + key);
        }
        configFile = dir.resolve("alertmanager.yml");
        Files.writeString(configFile, renderedConfig.replace(RECEIVERS_MOUNT, receivers + "/"));
    }

    @Test
    void amtoolAcceptsTheConfiguration() {
        String output =
                Tool.AMTOOL.run(dir, "check-config", configFile.toString()).assertSuccess();

        assertThat(output).contains("SUCCESS").contains("1 inhibit rules");
    }

    @ParameterizedTest
    @CsvSource({
        "alertname=ServiceAvailabilityBudgetBurn severity=critical, critical",
        "alertname=JvmHeapFillingUp severity=warning, warning",
        "alertname=Watchdog severity=none, watchdog",
        "alertname=Anything severity=none, silent",
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
        Map<String, Object> inhibit =
                Yaml.maps(Yaml.load(renderedConfig), "inhibit_rules").get(0);

        assertThat(Yaml.list(inhibit, "source_matchers")).containsExactly("severity=\"critical\"");
        assertThat(Yaml.list(inhibit, "target_matchers")).containsExactly("severity=\"warning\"");
        assertThat(Yaml.list(inhibit, "equal")).contains("alertname", "namespace", "application", "pod");
    }

    @Test
    void credentialsComeOnlyFromTheMountedSecret() {
        assertThat(secretKeys()).isNotEmpty();
        Matcher m = FILE_FIELD.matcher(renderedConfig);
        while (m.find()) {
            assertThat(m.group(1))
                    .as("credential files are read from the Secret mount")
                    .startsWith(RECEIVERS_MOUNT);
        }
        assertThat(renderedConfig).doesNotContainPattern("(api_url|routing_key|service_key|auth_password):");

        Map<String, Object> pod =
                Yaml.map(podTemplate(Manifests.render(ModuleFiles.BASE).get("StatefulSet", "alertmanager")), "spec");
        assertThat(Yaml.maps(pod, "volumes")).anySatisfy(v -> assertThat(Yaml.text(v, "secret", "secretName"))
                .isEqualTo("alertmanager-receivers"));
        assertThat(Yaml.maps(pod, "containers", "0", "volumeMounts")).anySatisfy(mount -> assertThat(mount)
                .containsEntry("mountPath", RECEIVERS_MOUNT.substring(0, RECEIVERS_MOUNT.length() - 1)));
    }

    @Test
    void everySecretKeyIsDocumented() {
        String guide = ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE);

        assertThat(secretKeys()).allSatisfy(key -> assertThat(guide).contains("--from-literal=" + key + "="));
    }

    /** The keys of the Secret alertmanager-receivers the configuration reads. */
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
