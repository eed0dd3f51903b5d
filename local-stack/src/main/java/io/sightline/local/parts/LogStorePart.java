package io.sightline.local.parts;

import java.io.IOException;
import java.util.List;

import io.sightline.local.logstore.EmbeddedOpenSearch;
import io.sightline.local.logstore.ExternalLoki;
import io.sightline.local.logstore.LogStore;

/**
 * The log store the sidecars ship to: an embedded OpenSearch in the launcher's JVM, or the user's Loki with
 * {@code --loki-url} (which must answer {@code /ready}, and keeps running when the stack ends).
 */
public final class LogStorePart implements StackPart {

    private final StackContext context;
    private LogStore store;

    public LogStorePart(StackContext context) {
        this.context = context;
    }

    @Override
    public void start() throws IOException {
        store = context.options().lokiUrl() != null
                ? ExternalLoki.connect(context.http(), context.options().lokiUrl())
                : EmbeddedOpenSearch.start(
                        context.dir("opensearch"), context.ports().preferred(9200), context.http());
        context.say("log store " + store.description() + " at " + store.url());
    }

    /** The running store; only after {@link #start()}. */
    public LogStore store() {
        if (store == null) {
            throw new IllegalStateException("the log store has not started");
        }
        return store;
    }

    @Override
    public List<Url> urls() {
        return List.of(new Url("log store", store().url().toString()));
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
