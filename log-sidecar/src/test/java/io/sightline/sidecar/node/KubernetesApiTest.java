package io.sightline.sidecar.node;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs against fabric8's mock API server. The mock needs Netty 4.2 and the embedded OpenSearch of
 * the sink tests Netty 4.1, so these classes run in their own surefire execution ({@code kubernetes-api-tests} in
 * the module's pom), selected by this tag.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(KubernetesApiTest.TAG)
public @interface KubernetesApiTest {

    String TAG = "kubernetes-api";
}
