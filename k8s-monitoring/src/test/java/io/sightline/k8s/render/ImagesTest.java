package io.sightline.k8s.render;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import static io.sightline.k8s.support.Manifests.allContainers;
import static io.sightline.k8s.support.Manifests.podTemplate;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first {@code kubectl apply -k} works only if the Sightline images exist where the manifests point: nobody
 * publishes them, so users build and push them with Jib (the {@code images} profile of the root POM) and name their
 * registry once, in kustomize's {@code images:}. The manifests' tag is the one Jib pushes: the project version.
 */
class ImagesTest {

    /** The images this repository builds (module → image name), all pushed by the root POM's images profile. */
    static final List<String> SIGHTLINE_IMAGES = List.of("event-collector", "log-sidecar", "demo-service");

    private static final Document ROOT_POM = parse(ModuleFiles.REPOSITORY.resolve("pom.xml"));

    static List<Path> kustomizations() {
        return ModuleFiles.kustomizations();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void sightlineImagesCarryTheTagJibPushes(Path kustomization) {
        String expectedPrefix = xpath("/project/properties/jib.image-registry") + "/";
        List<String> images = sightlineImages(Manifests.render(kustomization));

        assertThat(images).allSatisfy(image -> assertThat(image)
                .as("Jib pushes ${jib.image-registry}/<name>:${project.version}")
                .startsWith(expectedPrefix)
                .endsWith(":" + projectVersion()));
    }

    @Test
    void theRegistryIsSetOnceInTheBase() {
        Map<String, Object> kustomization = Yaml.load(ModuleFiles.read(ModuleFiles.BASE.resolve("kustomization.yaml")));
        List<Map<String, Object>> images = Yaml.maps(kustomization, "images");

        assertThat(images)
                .extracting(i -> Yaml.text(i, "name"))
                .containsExactlyInAnyOrder("ghcr.io/sightline/event-collector", "ghcr.io/sightline/log-sidecar");
        assertThat(images).allSatisfy(i -> assertThat(Yaml.text(i, "newTag")).isEqualTo(projectVersion()));
    }

    /** The overlay of the guide sets its registry with {@code images:}; it reaches the sidecar the component adds. */
    @Test
    void anOverlayMovesEveryImageToItsRegistry() {
        List<String> images = sightlineImages(Manifests.render(ModuleFiles.RENAMED_NAMESPACE_FIXTURE));

        assertThat(images)
                .containsExactlyInAnyOrder(
                        "registry.example.com/team/event-collector:" + projectVersion(),
                        "registry.example.com/team/log-sidecar:" + projectVersion());
    }

    /** The profile the guide's command uses builds and pushes (jib:build) in the package phase. */
    @Test
    void rootPomHasTheImagesProfile() {
        String execution = "/project/profiles/profile[id='images']/build/pluginManagement/plugins"
                + "/plugin[artifactId='jib-maven-plugin']/executions/execution";

        assertThat(xpath(execution + "/phase")).isEqualTo("package");
        assertThat(xpath(execution + "/goals/goal")).isEqualTo("build");
    }

    /** The deploy guide and the README's cluster step start with building and pushing the images. */
    @Test
    void guidesStartWithBuildingAndPushingTheImages() {
        String guide = ModuleFiles.read(ModuleFiles.DEPLOY_GUIDE);
        String readme = ModuleFiles.read(ModuleFiles.REPOSITORY.resolve("README.md"));
        String command =
                "./mvnw -B -Pimages -pl event-collector,log-sidecar -am package -DskipTests" + " -Djib.image-registry=";

        int build = guide.indexOf("\n## Build and push the images");
        assertThat(build).as("docs/k8s-monitoring.md has the section").isPositive();
        assertThat(build).isLessThan(guide.indexOf("\n## Create the Secrets"));
        assertThat(guide.substring(build)).contains(command, "newName:", "newTag: " + projectVersion());
        String clusterStep = readme.substring(readme.indexOf("- **The cluster**"));
        assertThat(clusterStep.substring(0, clusterStep.indexOf("\n- **")))
                .contains(command)
                .containsSubsequence(command, "kubectl apply");
    }

    static String projectVersion() {
        return xpath("/project/version");
    }

    private static List<String> sightlineImages(Manifests manifests) {
        return manifests.workloads().stream()
                .flatMap(w -> allContainers(podTemplate(w)).stream())
                .map(c -> Yaml.text(c, "image"))
                .filter(image ->
                        SIGHTLINE_IMAGES.contains(image.replaceFirst(".*/", "").replaceFirst("[:@].*", "")))
                .toList();
    }

    private static String xpath(String expression) {
        try {
            NodeList nodes = (NodeList)
                    XPathFactory.newInstance().newXPath().evaluate(expression, ROOT_POM, XPathConstants.NODESET);
            assertThat(nodes.getLength())
                    .as("%s in the root pom.xml", expression)
                    .isEqualTo(1);
            return nodes.item(0).getTextContent().strip();
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }

    private static Document parse(Path pom) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + pom, e);
        }
    }
}
