package io.sightline.telemetry.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ServiceIdentityTest {

    private static final String BUILD_INFO = "classpath:sightline-test-build-info.properties";

    @Test
    void applicationNameAndBuildInfoComeFirst() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.application.name", "orders")
                .withProperty("SERVICE_NAME", "ignored")
                .withProperty("SERVICE_VERSION", "ignored")
                .withProperty("spring.info.build.location", BUILD_INFO);
        assertThat(ServiceIdentity.from(environment)).isEqualTo(new ServiceIdentity("orders", "1.2.3-test"));
    }

    @Test
    void environmentVariablesAreTheFallback() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("SERVICE_NAME", " billing ")
                .withProperty("SERVICE_VERSION", "2.0.1")
                .withProperty("spring.info.build.location", "classpath:no-such-build-info.properties");
        assertThat(ServiceIdentity.from(environment)).isEqualTo(new ServiceIdentity("billing", "2.0.1"));
    }

    @Test
    void nothingConfiguredGivesTheConventionalUnknowns() {
        ServiceIdentity identity = ServiceIdentity.from(new MockEnvironment()
                .withProperty("spring.info.build.location", "classpath:no-such-build-info.properties"));
        assertThat(identity.name()).isEqualTo(ServiceIdentity.UNKNOWN_SERVICE);
        assertThat(identity.version()).isNull();
        assertThat(identity.versionOrUnknown()).isEqualTo(ServiceIdentity.UNKNOWN_VERSION);
    }

    @Test
    void aMalformedBuildInfoIsReportedWithTheProperty(@TempDir Path directory) throws IOException {
        Path buildInfo = Files.writeString(directory.resolve("build-info.properties"), "build.version=\\uZZZZ\n");
        MockEnvironment environment = new MockEnvironment()
                .withProperty("spring.info.build.location", buildInfo.toUri().toString());
        assertThatIllegalStateException()
                .isThrownBy(() -> ServiceIdentity.from(environment))
                .withMessageContaining("spring.info.build.location");
    }
}
