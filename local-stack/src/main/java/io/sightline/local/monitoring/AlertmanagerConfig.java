package io.sightline.local.monitoring;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sightline.testsupport.prometheus.PromDuration;
import io.sightline.testsupport.yaml.Yaml;

/**
 * The local Alertmanager's configuration: every alert goes to one webhook served by the launcher, with short
 * grouping delays so an alert that fires during a short run is delivered during that run.
 */
public record AlertmanagerConfig(URI webhookUrl, Duration groupWait, Duration groupInterval) {

    static final String RECEIVER = "sightline-local-launcher";

    public String toYaml() {
        Map<String, Object> route = new LinkedHashMap<>();
        route.put("receiver", RECEIVER);
        route.put("group_by", List.of("alertname", "namespace"));
        route.put("group_wait", PromDuration.format(groupWait));
        route.put("group_interval", PromDuration.format(groupInterval));
        route.put("repeat_interval", "1h");

        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("url", webhookUrl.toString());
        webhook.put("send_resolved", true);
        Map<String, Object> receiver = new LinkedHashMap<>();
        receiver.put("name", RECEIVER);
        receiver.put("webhook_configs", List.of(webhook));

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("route", route);
        config.put("receivers", List.of(receiver));
        return Yaml.dump(config);
    }
}
