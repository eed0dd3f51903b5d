package io.sightline.local.monitoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.prometheus.PromDuration;
import io.sightline.testsupport.yaml.Yaml;

/**
 * The local Prometheus' {@code prometheus.yml}: one scrape job fed by file-based service discovery (targets carry
 * the Kubernetes labels themselves, see {@link ScrapeTarget}), the copied alert rules, and the local Alertmanager.
 *
 * @param alertmanagerAddress {@code host:port}, or null when no Alertmanager runs
 */
public record PrometheusConfig(
        Duration scrapeInterval,
        Duration evaluationInterval,
        String alertmanagerAddress,
        Path rulesDir,
        Path targetsDir) {

    /** Scrape job name; every target overrides {@code job} with its {@code <namespace>/<app>} label. */
    static final String JOB_NAME = "local-stack";

    public String toYaml() {
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", PromDuration.format(scrapeInterval));
        global.put("scrape_timeout", PromDuration.format(scrapeInterval));
        global.put("evaluation_interval", PromDuration.format(evaluationInterval));

        Map<String, Object> fileSd = new LinkedHashMap<>();
        fileSd.put("files", List.of(targetsDir.resolve("*.json").toString()));
        fileSd.put("refresh_interval", PromDuration.format(scrapeInterval));
        Map<String, Object> scrapeJob = new LinkedHashMap<>();
        scrapeJob.put("job_name", JOB_NAME);
        scrapeJob.put("file_sd_configs", List.of(fileSd));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", global);
        config.put(
                "rule_files",
                List.of(
                        rulesDir.resolve("*.yaml").toString(),
                        rulesDir.resolve("*.yml").toString()));
        if (alertmanagerAddress != null) {
            config.put(
                    "alerting",
                    Map.of(
                            "alertmanagers",
                            List.of(Map.of(
                                    "static_configs", List.of(Map.of("targets", List.of(alertmanagerAddress)))))));
        }
        config.put("scrape_configs", List.of(scrapeJob));
        return Yaml.dump(config);
    }
}
