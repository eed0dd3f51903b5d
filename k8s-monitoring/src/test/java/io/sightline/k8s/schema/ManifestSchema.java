package io.sightline.k8s.schema;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sightline.k8s.support.Manifests;
import io.sightline.testsupport.yaml.Yaml;

/**
 * Checks rendered objects against the Kubernetes API's schema as fabric8's generated model carries it (one class per
 * kind and version, one property per field): every object is read into the class of its apiVersion and kind, a value
 * of the wrong type fails the reading, and a field the schema does not define lands in the model's
 * {@code additionalProperties}, which must stay empty everywhere. {@link #check} lists every violation as
 * "Kind/name: what is wrong".
 */
public final class ManifestSchema {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private ManifestSchema() {}

    public static List<String> check(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        for (Map<String, Object> object : manifests.objects()) {
            String who = Manifests.id(object);
            KubernetesResource typed;
            try {
                typed = Serialization.unmarshal(Yaml.dump(object), KubernetesResource.class);
            } catch (RuntimeException e) {
                violations.add(who + ": does not match its schema: " + rootMessage(e));
                continue;
            }
            if (typed instanceof GenericKubernetesResource) {
                violations.add(who + ": " + Yaml.text(object, "apiVersion") + " has no kind " + Manifests.kind(object));
                continue;
            }
            collectUnknownFields(who, "", typed, violations, new IdentityHashMap<>());
        }
        return violations;
    }

    private static void collectUnknownFields(
            String who, String path, Object node, List<String> violations, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(who, path + "/" + i++, item, violations, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(who, path + "/" + key, value, violations, seen));
            return;
        }
        if (!node.getClass().getName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        for (Class<?> type = node.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object value = read(field, node);
                if (field.getName().equals("additionalProperties") && value instanceof Map<?, ?> unknown) {
                    unknown.keySet()
                            .forEach(key -> violations.add(who + ": " + path + "/" + key + " is not a field of "
                                    + node.getClass().getSimpleName()));
                } else {
                    collectUnknownFields(who, path + "/" + field.getName(), value, violations, seen);
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + field, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}
