package io.sightline.k8s.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.sightline.testsupport.yaml.Yaml;

import static io.sightline.k8s.support.Manifests.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container's environment as the kubelet builds it from its {@code env} list (no kubelet runs here): entries in
 * order, a {@code value}'s {@code $(NAME)} replaced by a variable defined <em>before</em> it (a later or unknown one
 * stays as written), {@code $$} an escaped {@code $}; a {@code configMapKeyRef} read from the rendered ConfigMap of
 * the pod's namespace, which must exist unless {@code optional} (else the container does not start). Secrets are the
 * user's: a {@code secretKeyRef} becomes {@code <secret name/key>}.
 */
public final class ContainerEnvironment {

    private ContainerEnvironment() {}

    public static Map<String, String> of(Manifests manifests, Map<String, Object> workload, String container) {
        Map<String, Object> spec = Yaml.maps(Manifests.podTemplate(workload), "spec", "containers").stream()
                .filter(c -> container.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + container + " in " + id(workload)));
        assertThat(Yaml.list(spec, "envFrom")).as("envFrom is not modelled").isEmpty();
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> entry : Yaml.maps(spec, "env")) {
            String name = Yaml.text(entry, "name");
            Map<String, Object> configMapRef = Yaml.map(entry, "valueFrom", "configMapKeyRef");
            Map<String, Object> secretRef = Yaml.map(entry, "valueFrom", "secretKeyRef");
            if (!configMapRef.isEmpty()) {
                String value = configMapValue(manifests, workload, configMapRef);
                if (value != null) {
                    environment.put(name, value);
                }
            } else if (!secretRef.isEmpty()) {
                environment.put(name, "<secret " + secretRef.get("name") + "/" + secretRef.get("key") + ">");
            } else {
                environment.put(name, expand(String.valueOf(entry.getOrDefault("value", "")), environment));
            }
        }
        return environment;
    }

    private static String configMapValue(
            Manifests manifests, Map<String, Object> workload, Map<String, Object> reference) {
        String configMap = String.valueOf(reference.get("name"));
        String key = String.valueOf(reference.get("key"));
        String value = manifests.ofKind("ConfigMap").stream()
                .filter(cm -> configMap.equals(Manifests.name(cm)))
                .filter(cm -> Objects.equals(Manifests.namespace(cm), Manifests.namespace(workload)))
                .map(cm -> Yaml.text(cm, "data", key))
                .findFirst()
                .orElse(null);
        if (value == null && !Boolean.TRUE.equals(reference.get("optional"))) {
            throw new AssertionError(id(workload) + " would not start: no key " + key + " in ConfigMap " + configMap
                    + " of namespace " + Manifests.namespace(workload));
        }
        return value;
    }

    /** The kubelet's {@code $(NAME)} expansion over the variables defined so far. */
    static String expand(String value, Map<String, String> defined) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(') {
                int close = value.indexOf(')', i + 2);
                String name = close < 0 ? null : value.substring(i + 2, close);
                if (name != null && defined.containsKey(name)) {
                    out.append(defined.get(name));
                    i = close + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
