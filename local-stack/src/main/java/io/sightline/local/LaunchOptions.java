package io.sightline.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@code ./sightline local}. Every option has a working default; {@link #USAGE} is the
 * reference (also in docs/local-stack.md).
 *
 * @param duration how long the traffic runs; null = until Ctrl-C
 * @param demoJar the demo service's executable jar; null = look in examples/demo-service/target
 * @param lokiUrl ship to this Loki instead of the embedded OpenSearch; null = embedded OpenSearch
 * @param rulesDir the alert rule files to load; null = k8s-monitoring/rules
 * @param dashboardsDir the Grafana dashboards, when Grafana is installed; null = dashboards
 * @param shortenRuleWaits cap the rules' {@code for:} so alerts fire within a short run
 * @param metrics start Prometheus and Alertmanager (when installed)
 */
public record LaunchOptions(
        Duration duration,
        boolean check,
        URI lokiUrl,
        Path workDir,
        Path demoJar,
        Path rulesDir,
        Path dashboardsDir,
        int instances,
        double requestsPerSecond,
        Duration burstAfter,
        Duration burstLength,
        boolean shortenRuleWaits,
        boolean metrics) {

    public static final String USAGE = """
            Usage: ./sightline local [options]
              --duration N        run the traffic for N seconds, then stop (default: until Ctrl-C)
              --check             with --duration: verify every stage, exit 1 and name the ones that failed
              --loki-url URL      ship logs to this Loki (e.g. http://127.0.0.1:3100) instead of the embedded OpenSearch
              --work-dir DIR      logs, data and generated configs (default .sightline-local; emptied at start)
              --demo-jar FILE     the demo service jar (default examples/demo-service/target/sightline-demo-service-*.jar)
              --rules-dir DIR     alert rule files (default k8s-monitoring/rules)
              --dashboards-dir DIR  Grafana dashboards, used when grafana-server is on PATH (default dashboards)
              --instances N       demo service instances, each with its log-sidecar (default 2)
              --rate R            requests per second, all instances together; 0 = no traffic (default 20)
              --burst-after N     seconds of traffic before the failure burst (default 20): a canary instance
                                  that fails half of its requests then takes half of the traffic
              --burst-length N    seconds the failure burst lasts; 0 = no burst and no canary (default 25)
              --keep-rule-waits   load the rules' for: durations unchanged (alerts then take minutes to fire)
              --no-metrics        do not start Prometheus and Alertmanager
              --help              this text
            """;

    /** Whether the traffic has a failure burst, and so a canary instance that fails during it. */
    public boolean hasBurst() {
        return requestsPerSecond > 0 && !burstLength.isZero();
    }

    public static LaunchOptions defaults() {
        return new Draft().build();
    }

    /** @throws IllegalArgumentException with a message that names the option and what it accepts */
    public static LaunchOptions parse(List<String> args) {
        Draft d = new Draft();
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String option = rest.pop();
            switch (option) {
                case "--duration" -> d.duration = Duration.ofSeconds(positiveInt(option, rest));
                case "--check" -> d.check = true;
                case "--loki-url" -> d.lokiUrl = httpUrl(option, value(option, rest));
                case "--work-dir" -> d.workDir = Path.of(value(option, rest));
                case "--demo-jar" -> d.demoJar = Path.of(value(option, rest));
                case "--rules-dir" -> d.rulesDir = Path.of(value(option, rest));
                case "--dashboards-dir" -> d.dashboardsDir = Path.of(value(option, rest));
                case "--instances" -> d.instances = positiveInt(option, rest);
                case "--rate" -> d.requestsPerSecond = rate(option, rest);
                case "--burst-after" -> d.burstAfter = Duration.ofSeconds(nonNegativeInt(option, rest));
                case "--burst-length" -> d.burstLength = Duration.ofSeconds(nonNegativeInt(option, rest));
                case "--keep-rule-waits" -> d.shortenRuleWaits = false;
                case "--no-metrics" -> d.metrics = false;
                default -> throw new IllegalArgumentException("unknown option '" + option + "' (see --help)");
            }
        }
        if (d.check && d.duration == null) {
            throw new IllegalArgumentException(
                    "--check needs --duration N (the run must end before it can be checked)");
        }
        if (d.instances > 9) {
            throw new IllegalArgumentException("--instances accepts 1 to 9, got " + d.instances);
        }
        return d.build();
    }

    /** The options while they are parsed, starting from the defaults. */
    private static final class Draft {
        Duration duration;
        boolean check;
        URI lokiUrl;
        Path workDir = Path.of(".sightline-local");
        Path demoJar;
        Path rulesDir;
        Path dashboardsDir;
        int instances = 2;
        double requestsPerSecond = 20;
        Duration burstAfter = Duration.ofSeconds(20);
        Duration burstLength = Duration.ofSeconds(25);
        boolean shortenRuleWaits = true;
        boolean metrics = true;

        LaunchOptions build() {
            return new LaunchOptions(
                    duration,
                    check,
                    lokiUrl,
                    workDir,
                    demoJar,
                    rulesDir,
                    dashboardsDir,
                    instances,
                    requestsPerSecond,
                    burstAfter,
                    burstLength,
                    shortenRuleWaits,
                    metrics);
        }
    }

    private static String value(String option, Deque<String> rest) {
        if (rest.isEmpty() || rest.peek().startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.pop();
    }

    private static int positiveInt(String option, Deque<String> rest) {
        int value = nonNegativeInt(option, rest);
        if (value == 0) {
            throw new IllegalArgumentException(option + " needs a whole number above 0");
        }
        return value;
    }

    private static int nonNegativeInt(String option, Deque<String> rest) {
        String text = value(option, rest);
        try {
            int value = Integer.parseInt(text);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number of 0 or more, got '" + text + "'");
        }
    }

    private static double rate(String option, Deque<String> rest) {
        String text = value(option, rest);
        try {
            double value = Double.parseDouble(text);
            if (!(value >= 0 && value <= 1000)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option + " needs requests per second from 0 to 1000, got '" + text + "'");
        }
    }

    private static URI httpUrl(String option, String text) {
        try {
            URI uri = URI.create(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(
                option + " needs an http(s) URL such as http://127.0.0.1:3100, got '" + text + "'");
    }
}
