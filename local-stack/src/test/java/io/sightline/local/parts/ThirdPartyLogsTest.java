package io.sightline.local.parts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.sightline.local.podlogs.ContainerRef;
import io.sightline.local.process.ManagedProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ThirdPartyLogsTest {

    @TempDir
    Path work;

    @Test
    void prometheusAndAlertmanagerWriteIntoTheirPodsDirectoriesAndOurProcessesDoNot()
            throws IOException, InterruptedException {
        try (TestStack stack = new TestStack(work)) {
            ThirdPartyLogs logs = new ThirdPartyLogs(stack.context);
            logs.start();

            // started by name as Monitoring starts them; sh stands in for the binaries
            stack.context.supervisor().start("prometheus", List.of("sh", "-c", "echo level=info"), Map.of());
            stack.context.supervisor().start("alertmanager", List.of("sh", "-c", "echo ready >&2"), Map.of());
            ManagedProcess ours =
                    stack.context.supervisor().start("demo-service-0", List.of("sh", "-c", "echo ours"), Map.of());
            assertThat(logs.tree().awaitWritten(Duration.ofSeconds(60))).isEmpty();
            ours.stop(Duration.ofSeconds(30));

            Path pods = work.resolve("var/log/pods");
            ContainerRef prometheus = ContainerRef.of(Topology.MONITORING_NAMESPACE, "prometheus-0", "prometheus");
            assertThat(Files.readString(prometheus.dir(pods).resolve("0.log"))).endsWith(" stdout F level=info\n");
            ContainerRef alertmanager =
                    ContainerRef.of(Topology.MONITORING_NAMESPACE, "alertmanager-0", "alertmanager");
            assertThat(Files.readString(alertmanager.dir(pods).resolve("0.log")))
                    .endsWith(" stderr F ready\n");
            try (var dirs = Files.list(pods)) {
                assertThat(dirs.map(d -> d.getFileName().toString()))
                        .containsExactlyInAnyOrder(
                                Topology.MONITORING_NAMESPACE + "_prometheus-0_" + prometheus.uid(),
                                Topology.MONITORING_NAMESPACE + "_alertmanager-0_" + alertmanager.uid());
            }
            logs.close();
        }
    }
}
