package io.sightline.testsupport.loki;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A protobuf push's stream labels, {@code {a="b", c="d\"e"}}, read the way Loki's label parser reads them. */
final class LabelSelector {

    private LabelSelector() {}

    /** @throws IllegalArgumentException when the text is not a selector of quoted values with unique names */
    static Map<String, String> parse(String selector) {
        Map<String, String> labels = new TreeMap<>();
        int n = selector.length();
        if (n < 2 || selector.charAt(0) != '{' || selector.charAt(n - 1) != '}') {
            throw new IllegalArgumentException("labels must be a selector like {a=\"b\"}: " + selector);
        }
        int i = skipSeparators(selector, 1);
        while (i < n - 1) {
            int eq = selector.indexOf('=', i);
            if (eq < 0 || eq + 1 >= n - 1 || selector.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("label value must be quoted: " + selector);
            }
            String name = selector.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            i = eq + 2;
            while (i < n - 1 && selector.charAt(i) != '"') {
                char c = selector.charAt(i++);
                if (c == '\\' && i < n - 1) {
                    char escaped = selector.charAt(i++);
                    value.append(
                            switch (escaped) {
                                case 'n' -> '\n';
                                case '"', '\\' -> escaped;
                                default -> throw new IllegalArgumentException("unknown escape \\" + escaped);
                            });
                } else {
                    value.append(c);
                }
            }
            if (i >= n - 1) {
                throw new IllegalArgumentException("unterminated label value: " + selector);
            }
            if (labels.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("duplicate label name " + name);
            }
            i = skipSeparators(selector, i + 1);
        }
        return Collections.unmodifiableMap(labels);
    }

    private static int skipSeparators(String selector, int from) {
        int i = from;
        while (i < selector.length() - 1 && (selector.charAt(i) == ' ' || selector.charAt(i) == ',')) {
            i++;
        }
        return i;
    }
}
