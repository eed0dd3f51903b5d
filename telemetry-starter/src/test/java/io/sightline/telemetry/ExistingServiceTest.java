package io.sightline.telemetry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import io.sightline.telemetry.logging.LogbackInstaller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * Adding the starter to a service that already has its own logging and actuator settings, as a new
 * user would: the management server stays on the service's bind address, a taken management port
 * names the starter's default, and in JSON mode standard output is one JSON object per line with one
 * warning about what was changed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExistingServiceTest {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void giveLoggingBack() {
        new LogbackInstaller((LoggerContext) LoggerFactory.getILoggerFactory()).uninstall();
    }

    /** Before, the management server bound every interface although the service was bound to one address. */
    @Test
    void theManagementServerBindsWhereTheServiceDoes() throws Exception {
        try (ConfigurableApplicationContext context = start(
                WebApplicationType.SERVLET,
                "--server.port=0",
                "--server.address=127.0.0.2",
                "--management.server.port=0")) {
            int managementPort = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);

            assertThat(get("127.0.0.2", managementPort, "/actuator/health").statusCode())
                    .isEqualTo(200);
            assertThatException()
                    .isThrownBy(() -> get("127.0.0.1", managementPort, "/actuator/health"))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void anExplicitManagementAddressWins() {
        try (ConfigurableApplicationContext context =
                start(WebApplicationType.NONE, "--server.address=127.0.0.2", "--management.server.address=127.0.0.3")) {
            assertThat(context.getEnvironment().getProperty("management.server.address"))
                    .isEqualTo("127.0.0.3");
        }
    }

    /** Before, Boot's bare "Port N was already in use" did not say the starter had chosen the management port. */
    @Test
    void aTakenManagementPortNamesTheStartersDefault(CapturedOutput output) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatException()
                    .isThrownBy(() -> start(
                            WebApplicationType.SERVLET,
                            "--server.port=0",
                            "--server.address=127.0.0.1",
                            "--management.server.port=" + taken.getLocalPort()));
            await().until(() -> output.getOut().contains("APPLICATION FAILED TO START"));
            assertThat(output.getOut())
                    .contains("Port " + taken.getLocalPort() + ", the management server's port")
                    .contains("8081 unless management.server.port is set")
                    .contains("Give this service its own management port with management.server.port");
        }
    }

    /**
     * A service with Boot's structured console format: in JSON mode standard output is the starter's
     * record, one object per line, no banner, and one warning says the property is not used.
     */
    @Test
    void jsonModeWritesOnlyJsonLinesAndWarnsOnceAboutTheStructuredFormat(CapturedOutput output) {
        try (ConfigurableApplicationContext context = start(
                WebApplicationType.NONE,
                "--sightline.logging.format=json",
                "--logging.structured.format.console=ecs")) {
            LoggerFactory.getLogger("existing.service").info("started with the starter");
            await().until(() -> output.getOut().contains("started with the starter"));
        }
        List<String> lines =
                output.getOut().lines().filter(line -> !line.isBlank()).toList();
        JsonMapper json = JsonMapper.builder().build();
        assertThat(lines).allSatisfy(line -> assertThatNoException().as(line).isThrownBy(() -> json.readTree(line)));
        assertThat(lines)
                .filteredOn(line -> line.contains("\"level\":\"WARN\"") && line.contains("Sightline starter changed"))
                .singleElement()
                .asString()
                .contains("logging.structured.format.console=ecs");
    }

    private ConfigurableApplicationContext start(WebApplicationType type, String... args) {
        return new SpringApplicationBuilder(App.class).web(type).run(args);
    }

    private HttpResponse<String> get(String host, int port, String path) throws IOException, InterruptedException {
        return this.http.send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}
}
