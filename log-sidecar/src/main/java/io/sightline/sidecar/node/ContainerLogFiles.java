package io.sightline.sidecar.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.sightline.sidecar.config.SidecarConfig.NodeConfig;
import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.node.identity.ContainerIdentities;
import io.sightline.sidecar.node.identity.ContainerIdentity;
import io.sightline.sidecar.node.meta.PodMetadataSource;
import io.sightline.sidecar.node.meta.kube.KubePodMetadata;
import io.sightline.sidecar.node.path.OwnPod;
import io.sightline.sidecar.node.path.PodLogFileKind;
import io.sightline.sidecar.node.path.PodLogPath;
import io.sightline.sidecar.node.path.PodLogPaths;
import io.sightline.sidecar.parse.Identity;
import io.sightline.sidecar.source.FileOrigins;

/**
 * The node agent's view of the files under the pod log directory: a file is read when its path is a container log
 * file (never a {@code .tmp} the kubelet is compressing into), not of the agent's own pod and not excluded by
 * annotation, and its records are that container's (namespace, pod, container from the path, node from the
 * agent's Downward API, service name from the pod's labels when the API server told them).
 */
public final class ContainerLogFiles implements FileOrigins, AutoCloseable {

    private final PodLogPaths paths;
    private final ContainerIdentities identities;
    private final PodMetadataSource metadata;
    private final String cluster;

    ContainerLogFiles(Path podsDir, Identity agent, PodMetadataSource metadata) {
        this.paths = new PodLogPaths(podsDir);
        this.identities = new ContainerIdentities(agent.node(), OwnPod.of(agent), metadata);
        this.metadata = metadata;
        this.cluster = agent.cluster();
    }

    /**
     * The node agent's files, with the pod watch started when {@link NodeConfig#podMetadata()} (it does not wait
     * for the API server: lines flow with the path's identity until it answers).
     *
     * @param agent the agent's own identity (Downward API): its pod is skipped, its node and cluster are the
     *     records'
     * @throws IllegalArgumentException when the node's name is unknown ({@code NODE_NAME})
     */
    public static ContainerLogFiles start(NodeConfig node, Identity agent, Diagnostics diagnostics) {
        if (agent.node() == null || agent.node().isBlank()) {
            throw new IllegalArgumentException(
                    "NODE_NAME is not set: the node agent needs its node's name (Downward API fieldRef spec.nodeName)");
        }
        PodMetadataSource metadata = node.podMetadata()
                ? KubePodMetadata.connect(agent.node(), node.maxPods(), node.deletedPodGrace(), diagnostics)
                : PodMetadataSource.NONE;
        return new ContainerLogFiles(node.podsDir(), agent, metadata);
    }

    @Override
    public Optional<Origin> of(Path file) {
        Optional<PodLogPath> path = paths.parse(file);
        // plain files only: a .gz is a finished rotation read (if ever) from its checkpoint, a .tmp is being written
        if (path.isEmpty()
                || path.get().kind() == PodLogFileKind.TEMPORARY
                || path.get().kind() == PodLogFileKind.COMPRESSED) {
            return Optional.empty();
        }
        ContainerIdentities.Resolution resolution = identities.resolve(path.get());
        if (!resolution.shipped()) {
            return Optional.empty();
        }
        ContainerIdentity container = resolution.identity();
        return Optional.of(new Origin(container.identity(cluster), container.serviceName()));
    }

    /**
     * The kubelet's names for {@code file} compressed: {@code <n>.log.<stamp>} becomes {@code <n>.log.<stamp>.gz}; the
     * live {@code <n>.log} may be any {@code <n>.log.<stamp>.gz} of the same restart (it was renamed with a stamp
     * first), oldest first. Never a {@code .tmp}: the kubelet renames it to {@code .gz} once the gzip is complete.
     */
    @Override
    public List<Path> compressedRotationsOf(Path file) {
        Optional<PodLogPath> plain = paths.parse(file);
        if (plain.isEmpty()) {
            return List.of();
        }
        if (plain.get().kind() == PodLogFileKind.ROTATED) {
            Path gz = file.resolveSibling(file.getFileName() + ".gz");
            return Files.isRegularFile(gz, LinkOption.NOFOLLOW_LINKS) ? List.of(gz) : List.of();
        }
        return plain.get().kind() == PodLogFileKind.LIVE
                ? compressedSiblings(file, p -> p.restartCount() == plain.get().restartCount())
                : List.of();
    }

    /**
     * The {@code .gz} files of {@code generation}'s container rotated after it, oldest first (by restart, then stamp):
     * every one of a later restart (the container restarted after it was written), and those of its own restart with
     * a later stamp. {@code generation} named by its stamp (a rotated or compressed name) has those with a later stamp;
     * the live name means where it went is not known: every one of its restart is later, because the kubelet removes
     * the oldest rotations first, so once a generation's rotation is gone only newer ones remain.
     */
    @Override
    public List<Path> compressedRotationsAfter(Path generation) {
        Optional<PodLogPath> plain = paths.parse(generation);
        if (plain.isEmpty() || plain.get().kind() == PodLogFileKind.TEMPORARY) {
            return List.of();
        }
        int restart = plain.get().restartCount();
        String stamp = plain.get().rotationStamp();
        return compressedSiblings(
                generation,
                p -> p.restartCount() > restart
                        || (p.restartCount() == restart
                                && (stamp == null || p.rotationStamp().compareTo(stamp) > 0)));
    }

    /** Every {@code .gz} in {@code file}'s container directory, of any restart, oldest first. */
    @Override
    public List<Path> compressedRotationsOfWriter(Path file) {
        return compressedSiblings(file, p -> true);
    }

    /** {@code <n>.log.<stamp>.gz} is the kubelet's gzip of {@code <n>.log.<stamp>}. */
    @Override
    public Path uncompressedName(Path compressed) {
        String name = compressed.getFileName().toString();
        return name.endsWith(".gz") ? compressed.resolveSibling(name.substring(0, name.length() - 3)) : compressed;
    }

    /** Oldest first: by restart, then by rotation stamp; the live file of a restart after its rotations. */
    @Override
    public Comparator<Path> byAge() {
        return Comparator.comparing((Path file) ->
                        paths.parse(file).map(PodLogPath::restartCount).orElse(Integer.MAX_VALUE))
                .thenComparing(
                        file -> paths.parse(file).map(PodLogPath::rotationStamp).orElse(null),
                        Comparator.nullsLast(Comparator.<String>naturalOrder()))
                .thenComparing(Comparator.naturalOrder());
    }

    /** The {@code .gz} rotations next to {@code file} that {@code wanted} accepts, oldest first. */
    private List<Path> compressedSiblings(Path file, Predicate<PodLogPath> wanted) {
        Path dir = file.getParent();
        if (dir == null) {
            return List.of();
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            return siblings.filter(sibling -> paths.parse(sibling)
                            .filter(p -> p.kind() == PodLogFileKind.COMPRESSED && wanted.test(p))
                            .isPresent())
                    .sorted(byAge())
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // the directory went away: nothing compressed is left either
        }
    }

    @Override
    public void close() {
        metadata.close();
    }
}
