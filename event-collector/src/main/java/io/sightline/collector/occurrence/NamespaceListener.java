package io.sightline.collector.occurrence;

/** Told when a namespace gets its first tracked event and when its last one is gone. */
public interface NamespaceListener {

    void namespaceAppeared(String namespace);

    void namespaceGone(String namespace);
}
