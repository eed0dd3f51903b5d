package io.sightline.k8s.support;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The two expansions the link tests rely on behave as the kubelet and Grafana document them. */
class EnvironmentExpansionTest {

    @Test
    void theKubeletExpandsOnlyVariablesDefinedBefore() {
        Map<String, String> defined = Map.of("A", "x");

        assertThat(ContainerEnvironment.expand("$(A)/$(B)", defined)).isEqualTo("x/$(B)");
        assertThat(ContainerEnvironment.expand("$$(A)", defined)).isEqualTo("$(A)");
        assertThat(ContainerEnvironment.expand("q=${__value.raw}", defined)).isEqualTo("q=${__value.raw}");
    }

    @Test
    void grafanaExpandsItsEnvironmentOnceAndKeepsEscapedDollars() {
        Map<String, String> environment = Map.of("URL", "https://t.example/q=${__value.raw}");

        assertThat(GrafanaProvisioningValues.expand("$URL", environment))
                .as("the value is not expanded again")
                .isEqualTo("https://t.example/q=${__value.raw}");
        assertThat(GrafanaProvisioningValues.expand("${URL}", environment)).isEqualTo(environment.get("URL"));
        assertThat(GrafanaProvisioningValues.expand("$UNSET", environment)).isEmpty();
        assertThat(GrafanaProvisioningValues.expand("$${__value.raw}", environment))
                .isEqualTo("${__value.raw}");
    }
}
