package io.sightline.collector.occurrence;

import java.util.Set;
import java.util.regex.Pattern;

import io.sightline.collector.config.CollectorProperties;
import io.sightline.collector.watch.KubeEvent;

/**
 * The configured scope: excluded namespaces, minimum type and reasons to drop. Events outside it are neither
 * written nor counted, and never tracked, so they cost no memory beyond the informer's reduced store.
 */
final class EventFilter {

    private final Set<String> included;
    private final Set<String> excluded;
    private final boolean warningsOnly;
    private final Pattern dropReasons;

    EventFilter(CollectorProperties properties) {
        this.included = Set.copyOf(properties.namespaces());
        this.excluded = Set.copyOf(properties.excludedNamespaces());
        this.warningsOnly = properties.warningsOnly();
        this.dropReasons = properties.dropReasons().isEmpty() ? null : Pattern.compile(properties.dropReasons());
    }

    boolean accepts(KubeEvent event) {
        if (excluded.contains(event.namespace()) || (!included.isEmpty() && !included.contains(event.namespace()))) {
            return false;
        }
        if (warningsOnly && !event.isWarning()) {
            return false;
        }
        return dropReasons == null
                || event.reason() == null
                || !dropReasons.matcher(event.reason()).matches();
    }
}
