package io.sightline.local.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes Prometheus file_sd target files: one target group per {@link ScrapeTarget} or {@link KubeletTarget}. */
public final class ScrapeTargets {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScrapeTargets() {}

    public static String toFileSdJson(List<ScrapeTarget> targets) {
        return toJson(targets.stream()
                .map(target -> {
                    Map<String, Object> group = new LinkedHashMap<>();
                    group.put("targets", List.of(target.address()));
                    group.put("labels", target.labels());
                    return group;
                })
                .toList());
    }

    /** Replaces {@code file} atomically, because Prometheus may read it at any moment (it watches the directory). */
    public static void write(Path file, List<ScrapeTarget> targets) throws IOException {
        writeAtomically(file, toFileSdJson(targets));
    }

    /** The kubelet endpoints, for the cluster's kubelet jobs ({@link ClusterKubeletJobs}); replaced atomically. */
    public static void writeKubelets(Path file, List<KubeletTarget> kubelets) throws IOException {
        writeAtomically(
                file, toJson(kubelets.stream().map(KubeletTarget::targetGroup).toList()));
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String toJson(List<Map<String, Object>> groups) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(groups);
        } catch (IOException e) {
            throw new IllegalStateException("file_sd targets are plain strings and cannot fail to serialise", e);
        }
    }
}
