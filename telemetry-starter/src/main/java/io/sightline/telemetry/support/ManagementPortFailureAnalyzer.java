package io.sightline.telemetry.support;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * When the management server's port is taken, says that the starter chose it: a service that never set
 * {@code management.server.port} otherwise gets Boot's bare "Port 8081 was already in use" and no idea
 * why its actuator moved off the application port. Other ports are left to Boot's own analyzer.
 */
public class ManagementPortFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final boolean WEB_SERVER_PRESENT = ClassUtils.isPresent(
            "org.springframework.boot.web.server.PortInUseException",
            ManagementPortFailureAnalyzer.class.getClassLoader());

    private final Environment environment;

    /** @param environment the failed application's environment (Boot passes it to failure analyzers) */
    public ManagementPortFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        if (!WEB_SERVER_PRESENT) {
            return null;
        }
        Integer port = PortInUse.port(failure);
        Integer managementPort = this.environment.getProperty("management.server.port", Integer.class);
        if (port == null || !port.equals(managementPort)) {
            return null;
        }
        return new FailureAnalysis(
                "Port " + port + ", the management server's port (health, probes, Prometheus), was already in use. "
                        + "The Sightline starter serves the management endpoints on their own port, "
                        + StarterDefaults.MANAGEMENT_PORT + " unless management.server.port is set, so two "
                        + "services on one host, or a service that already uses that port, collide.",
                "Give this service its own management port with management.server.port (0 picks a free one), "
                        + "or stop the process that listens on port " + port + ".",
                failure);
    }

    /** Ahead of Boot's own port-in-use analyzer, which would answer first. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Only loaded when Boot's web server support is on the classpath. */
    private static final class PortInUse {

        static Integer port(Throwable failure) {
            for (Throwable cause = failure;
                    cause != null;
                    cause = (cause.getCause() != cause) ? cause.getCause() : null) {
                if (cause instanceof PortInUseException portInUse) {
                    return portInUse.getPort();
                }
            }
            return null;
        }
    }
}
