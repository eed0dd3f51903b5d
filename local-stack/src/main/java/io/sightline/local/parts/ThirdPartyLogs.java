package io.sightline.local.parts;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sightline.local.podlogs.ContainerRef;
import io.sightline.local.podlogs.PodLogTree;

/**
 * The container runtime's side of the node path: the processes the stack starts that are not Sightline's own
 * (Prometheus, Alertmanager) write their stdout and stderr into {@code <work dir>/var/log/pods} in CRI format, as
 * containerd would, rotated kubelet-style at a small size so that rotation and compression happen during a short
 * run. Their pods are those {@link Topology} gives them. Must start before {@link Monitoring}, which starts them.
 */
public final class ThirdPartyLogs implements StackPart {

    /** The processes {@link Monitoring} starts, by the name it gives them; each is the only container of its pod. */
    static final List<String> APPS = List.of("prometheus", "alertmanager");

    /** Tiny, so that a few seconds of start-up output already rotate and compress (the kubelet's default: 10 MiB). */
    static final PodLogTree.Rotation ROTATION = new PodLogTree.Rotation(2 * 1024, 5);

    private final StackContext context;
    private PodLogTree tree;

    public ThirdPartyLogs(StackContext context) {
        this.context = context;
    }

    @Override
    public void start() throws IOException {
        Map<String, ContainerRef> containers = new LinkedHashMap<>();
        for (String app : APPS) {
            containers.put(app, ContainerRef.of(Topology.MONITORING_NAMESPACE, app + "-0", app));
        }
        tree = new PodLogTree(
                context.dir("var", "log", "pods"), containers, ROTATION, Clock.systemDefaultZone(), System.err);
        context.supervisor().useContainerRuntime(tree);
    }

    /** The tree, once started. */
    public PodLogTree tree() {
        if (tree == null) {
            throw new IllegalStateException("not started");
        }
        return tree;
    }

    @Override
    public List<Url> urls() {
        return tree == null ? List.of() : List.of(new Url("pod logs", tree.root() + "   (Prometheus, Alertmanager)"));
    }

    /** Nothing to end: the processes close their output when they end, and the tree's files with it. */
    @Override
    public void close() {}
}
