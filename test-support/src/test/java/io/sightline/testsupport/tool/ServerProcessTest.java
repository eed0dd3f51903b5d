package io.sightline.testsupport.tool;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting a real server (Prometheus here) on an ephemeral port, with a real Prometheus. */
class ServerProcessTest {

    @TempDir
    Path dir;

    private List<String> prometheusArguments(Path config) {
        return List.of("--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"));
    }

    @Test
    void aPortTakenMeanwhileIsRetriedOnAnother() throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global: {}\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket reserved = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int free = reserved.getLocalPort();
            reserved.close();
            AtomicInteger attempts = new AtomicInteger();
            int[] ports = {taken.getLocalPort(), free};

            try (ServerProcess prometheus = ServerProcess.start(
                    Tool.PROMETHEUS, dir, prometheusArguments(config), () -> ports[attempts.getAndIncrement()])) {
                assertThat(attempts).hasValue(2);
                assertThat(prometheus.url().getPort()).isEqualTo(free);
            }
        }
    }

    @Test
    void aServerThatExitsFailsWithItsOutput() throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs: [not a job]\n");

        assertThatThrownBy(() -> ServerProcess.start(Tool.PROMETHEUS, dir, prometheusArguments(config)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prometheus exited with")
                .hasMessageContaining("not a job");
    }
}
