package io.sightline.k8s.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value Grafana reads from a string of a provisioning file (Grafana cannot run here), as its provisioning code
 * does it (pkg/services/provisioning/values): the string is split at {@code $$}, each part goes through Go's
 * {@code os.ExpandEnv} ({@code $NAME} and {@code ${NAME}} become the variable's value, the empty string when it is
 * not set; the value is not expanded again), and the parts are joined with a literal {@code $}. Grafana's
 * {@code $__env{…}}/{@code $__file{…}} expanders are not used in Sightline's files and not modelled.
 */
public final class GrafanaProvisioningValues {

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([^}]*)}|([A-Za-z0-9_]+))");

    private GrafanaProvisioningValues() {}

    public static String expand(String value, Map<String, String> environment) {
        List<String> parts = new ArrayList<>();
        for (String part : value.split("\\$\\$", -1)) {
            if (part.contains("$__")) {
                throw new IllegalArgumentException("Grafana's $__ expanders are not modelled: " + value);
            }
            Matcher variable = VARIABLE.matcher(part);
            parts.add(variable.replaceAll(m -> Matcher.quoteReplacement(
                    environment.getOrDefault(m.group(1) != null ? m.group(1) : m.group(2), ""))));
        }
        return String.join("$", parts);
    }
}
