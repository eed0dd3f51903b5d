package io.sightline.collector.pipeline;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API client of the application; tests bring their own (pointed at fabric8's mock server). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "sightline.collector", name = "enabled", matchIfMissing = true)
public class KubernetesClientConfiguration {

    /** In-cluster: the pod's service account; elsewhere fabric8's usual sources (kubeconfig, system properties). */
    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient() {
        return new KubernetesClientBuilder().build();
    }
}
