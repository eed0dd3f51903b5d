package io.sightline.local.parts;

import java.io.IOException;
import java.util.List;

import io.sightline.local.check.CheckReport;
import io.sightline.local.monitoring.ScrapeTarget;

/**
 * One part of the local stack: the demo services, their log-sidecars, the log store, monitoring, Grafana, the
 * traffic. {@link StackParts} starts the parts in order, prints their URLs, runs their checks and closes them in
 * reverse order.
 *
 * <p>A part gets the shared services of the run ({@link StackContext}: options, ports, process supervisor, work
 * dir) and the parts it needs in its constructor, so the assembly in {@code LocalStack} shows every dependency.
 * The constructor only checks what the user must fix (a missing jar, say) and has no side effects: a part's work
 * starts in {@link #start()}.
 *
 * <p><b>Adding a part</b> touches one new class and one line. A kubelet stand-in serving cAdvisor metrics, for
 * example, is a class
 *
 * <pre>{@code
 * final class KubeletStandIn implements StackPart {
 *     KubeletStandIn(StackContext context) { ... }
 *     public void start() throws IOException { ... pick a port with context.ports(), serve ... }
 *     public List<Url> urls() { return List.of(new Url("kubelet", url + "/metrics/cadvisor")); }
 *     public List<ScrapeTarget> scrapeTargets() { return List.of(...); }   // Prometheus scrapes it
 *     public void check(CheckReport report) { ... report.passed("kubelet", ...) ... }
 *     public void close() { ... }
 * }
 * }</pre>
 *
 * and one line in {@code LocalStack.assemble}, before the {@code Monitoring} line so that Prometheus scrapes it:
 * {@code add(all, new KubeletStandIn(context));}. A node agent that ships a {@code /var/log/pods}-shaped tree
 * gets the log store the same way the sidecars do: {@code add(all, new NodeAgent(context, logStore));}.
 */
public interface StackPart extends AutoCloseable {

    /** A line of the list printed once the stack runs: what it is, and where to open it. */
    record Url(String name, String text) {}

    /**
     * Starts the part and returns once the parts after it can use it. A part whose start-up may overlap with the
     * next parts' (the demo services boot while OpenSearch starts) returns early and waits in {@link #awaitReady()}.
     *
     * @throws io.sightline.local.process.Readiness.StartFailedException or another exception whose message tells
     *     the user what went wrong; the stack then closes every part started so far
     */
    void start() throws IOException;

    /**
     * Returns once the part answers. Called by the stack for every part before it reports that it runs, and by any
     * part that needs this one to answer (it may be called several times).
     */
    default void awaitReady() {}

    /** What to print for the user once the stack runs; nothing by default. */
    default List<Url> urls() {
        return List.of();
    }

    /** The metrics endpoints Prometheus scrapes, labelled as their Kubernetes pods would be; none by default. */
    default List<ScrapeTarget> scrapeTargets() {
        return List.of();
    }

    /**
     * Adds this part's stages to {@code --check}. The stack checks the parts newest first and closes each one once it
     * is checked, so every part that was started after this one (and may depend on it) has ended, and every part
     * started before it still runs.
     */
    default void check(CheckReport report) {}

    /** Ends the part. Called once, also after a failed or partial {@link #start()}; must not throw. */
    @Override
    void close();
}
