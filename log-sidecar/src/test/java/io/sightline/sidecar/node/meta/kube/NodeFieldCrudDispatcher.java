package io.sightline.sidecar.node.meta.kube;

import java.lang.reflect.Field;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.server.mock.CustomResourceDefinitionProcessor;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;

/**
 * fabric8's CRUD dispatcher taught one more field selector the real API server supports for pods,
 * {@code spec.nodeName} (the mock knows only {@code metadata.name} and {@code metadata.namespace}, and
 * treats any other field as absent, so a node's pods would list as none). The mock has no hook for its
 * attribute extractor, so it is swapped in by reflection; if a fabric8 upgrade renames the fields this
 * fails loudly at set-up instead of testing something else.
 */
final class NodeFieldCrudDispatcher {

    private NodeFieldCrudDispatcher() {}

    static KubernetesCrudDispatcher create() {
        KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher();
        NodeFieldExtractor extractor = new NodeFieldExtractor();
        try {
            Field crd = KubernetesCrudDispatcher.class.getDeclaredField("crdProcessor");
            crd.setAccessible(true);
            extractor.setCustomResourceDefinitionProcessor((CustomResourceDefinitionProcessor) crd.get(dispatcher));
            set(KubernetesCrudDispatcher.class, "kubernetesAttributesExtractor", dispatcher, extractor);
            set(CrudDispatcher.class, "attributeExtractor", dispatcher, extractor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("fabric8's mock changed; adapt this fixture", e);
        }
        return dispatcher;
    }

    private static void set(Class<?> owner, String name, Object target, Object value)
            throws ReflectiveOperationException {
        Field field = owner.getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }

    private static final class NodeFieldExtractor extends KubernetesAttributesExtractor {

        @Override
        public AttributeSet extract(HasMetadata resource) {
            AttributeSet attributes = super.extract(resource);
            String node = null;
            if (resource instanceof Pod pod && pod.getSpec() != null) {
                node = pod.getSpec().getNodeName();
            } else if (resource instanceof GenericKubernetesResource generic
                    && "Pod".equals(generic.getKind())
                    && generic.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                    && spec.get("nodeName") instanceof String name) {
                node = name;
            }
            return node == null ? attributes : attributes.add(new Attribute("spec.nodeName", node));
        }
    }
}
