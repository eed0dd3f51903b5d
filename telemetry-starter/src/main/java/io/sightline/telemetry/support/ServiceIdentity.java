package io.sightline.telemetry.support;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Who this process is, resolved the way the telemetry contract (section 1) says: the service
 * name from {@code spring.application.name}, else {@code SERVICE_NAME}; the version from the
 * build's {@code META-INF/build-info.properties}, else {@code SERVICE_VERSION}.
 *
 * @param name service name, never blank ({@value #UNKNOWN_SERVICE} when nothing is configured)
 * @param version service version, {@code null} when neither the build nor the environment says
 */
public record ServiceIdentity(String name, String version) {

    /** OpenTelemetry's conventional name for a service that did not say who it is. */
    public static final String UNKNOWN_SERVICE = "unknown_service";

    /** Label value used where a metric needs a version but none is known. */
    public static final String UNKNOWN_VERSION = "unknown";

    private static final String BUILD_INFO_LOCATION = "classpath:META-INF/build-info.properties";

    public static ServiceIdentity from(Environment environment) {
        return from(environment, new DefaultResourceLoader());
    }

    /** For environment post-processors, which run before any bean (and resource loader) exists. */
    public static ServiceIdentity from(Environment environment, ClassLoader classLoader) {
        return from(environment, new DefaultResourceLoader(classLoader));
    }

    public static ServiceIdentity from(Environment environment, ResourceLoader resourceLoader) {
        String name = firstText(
                environment.getProperty("spring.application.name"),
                environment.getProperty("SERVICE_NAME"),
                UNKNOWN_SERVICE);
        String location = environment.getProperty("spring.info.build.location", BUILD_INFO_LOCATION);
        String version = firstText(
                buildVersion(resourceLoader.getResource(location)), environment.getProperty("SERVICE_VERSION"), null);
        return new ServiceIdentity(name, version);
    }

    /** The version, or {@value #UNKNOWN_VERSION} for places that cannot leave it out. */
    public String versionOrUnknown() {
        return (this.version != null) ? this.version : UNKNOWN_VERSION;
    }

    private static String buildVersion(Resource buildInfo) {
        if (!buildInfo.exists()) {
            return null;
        }
        try (InputStream in = buildInfo.getInputStream()) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("build.version");
        } catch (IOException | IllegalArgumentException ex) {
            throw new IllegalStateException(
                    "Cannot read build info from " + buildInfo
                            + "; fix or remove the file, or set spring.info.build.location",
                    ex);
        }
    }

    private static String firstText(String first, String second, String fallback) {
        if (StringUtils.hasText(first)) {
            return first.trim();
        }
        return StringUtils.hasText(second) ? second.trim() : fallback;
    }
}
