package io.sightline.testsupport.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** YAML in and out, and null-safe navigation through the maps and lists it loads to. */
public final class Yaml {

    private Yaml() {}

    /** Every document of a multi-document stream (empty documents left out). */
    public static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document :
                new Load(LoadSettings.builder().setLabel("manifest").build()).loadAllFromString(text)) {
            if (document instanceof Map<?, ?> map) {
                documents.add(cast(map));
            }
        }
        return documents;
    }

    public static Map<String, Object> load(String text) {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(text);
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected a YAML mapping, got " + document);
        }
        return cast(map);
    }

    public static String dump(Object document) {
        return new Dump(DumpSettings.builder()
                        .setDefaultFlowStyle(FlowStyle.BLOCK)
                        .build())
                .dumpToString(document);
    }

    /** The value at {@code path} (map keys, or list indexes as decimal strings), or null when any step is absent. */
    public static Object at(Object root, String... path) {
        Object current = root;
        for (String step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list
                    && step.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(step) < list.size()) {
                current = list.get(Integer.parseInt(step));
            } else {
                return null;
            }
        }
        return current;
    }

    public static Map<String, Object> map(Object root, String... path) {
        return at(root, path) instanceof Map<?, ?> map ? cast(map) : Map.of();
    }

    public static List<Object> list(Object root, String... path) {
        return at(root, path) instanceof List<?> list ? List.copyOf(list) : List.of();
    }

    /** The list at {@code path} keeping only its mappings. */
    public static List<Map<String, Object>> maps(Object root, String... path) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object item : list(root, path)) {
            if (item instanceof Map<?, ?> map) {
                result.add(cast(map));
            }
        }
        return result;
    }

    /** The scalar at {@code path} as text (YAML booleans and numbers included), or null. */
    public static String text(Object root, String... path) {
        Object value = at(root, path);
        return value == null || value instanceof Map || value instanceof List ? null : String.valueOf(value);
    }

    public static boolean isTrue(Object root, String... path) {
        return "true".equals(text(root, path));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
