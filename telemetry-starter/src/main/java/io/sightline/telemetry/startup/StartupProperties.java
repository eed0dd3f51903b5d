package io.sightline.telemetry.startup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Start-up settings of the Sightline starter ({@code sightline.startup.*}).
 *
 * @param preload Loading the application's library classes on a background thread during start-up.
 */
@ConfigurationProperties("sightline.startup")
public record StartupProperties(@DefaultValue Preload preload) {

    /**
     * @param enabled Whether the library classes a Spring Boot web service with the starter needs to start
     * (Spring, Tomcat, Jackson, Logback, Sentry, Micrometer, OpenTelemetry, actuator, OkHttp, Prometheus client,
     * logstash-logback-encoder; those on the class path) are loaded, not initialised, on a background thread
     * while the application starts, so that the main thread finds them defined. Never on a JVM with one
     * available processor.
     */
    public record Preload(@DefaultValue("true") boolean enabled) {}
}
