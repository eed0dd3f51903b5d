package io.sightline.telemetry.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A test application started the way a service starts (so the starter's environment
 * post-processors run), on random ports bound to 127.0.0.1, with a plain HTTP client.
 */
public final class RunningApp implements AutoCloseable {

    /** Properties every test app gets: random ports on loopback, a known name and build. */
    private static final String[] BASE = {
        "server.port=0",
        "server.address=127.0.0.1",
        "management.server.port=0",
        "management.server.address=127.0.0.1",
        "spring.application.name=starter-test",
        "spring.info.build.location=classpath:sightline-test-build-info.properties"
    };

    public static final String BUILD_VERSION = "1.2.3-test";

    private final ConfigurableApplicationContext context;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static RunningApp start(Class<?> application, WebApplicationType type, String... properties) {
        // Passed as command-line arguments, as an operator would, so they sit above the starter's defaults.
        String[] args = Stream.concat(Arrays.stream(BASE), Arrays.stream(properties))
                .map((p) -> "--" + p)
                .toArray(String[]::new);
        return new RunningApp(
                new SpringApplicationBuilder(application).web(type).run(args));
    }

    public ConfigurableApplicationContext context() {
        return this.context;
    }

    public int port() {
        return this.context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    public int managementPort() {
        return this.context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
    }

    public HttpResponse<String> get(int port, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw new IllegalStateException("GET " + path + " failed", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during GET " + path, ex);
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        return get(port(), path, headers);
    }

    public String scrape() {
        HttpResponse<String> response = get(managementPort(), "/actuator/prometheus");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Scrape failed with " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        this.context.close();
    }

    /** A W3C {@code traceparent} header value for a known, sampled trace. */
    public static String traceparent(String traceId) {
        return "00-" + traceId + "-00f067aa0ba902b7-01";
    }
}
