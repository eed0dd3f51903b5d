package io.sightline.k8s.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.sightline.k8s.support.Markdown;
import io.sightline.k8s.support.ModuleFiles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every "docs/<page>.md#section" the manifests, rules and guides point to exists. */
class DocumentationLinksTest {

    private static final Pattern LINK =
            Pattern.compile("(k8s-monitoring|runbooks)\\.md#([a-z0-9_-]+)|\\]\\(#([a-z0-9_-]+)\\)");

    @Test
    void everySectionLinkResolves() throws IOException {
        Map<String, Path> pages = Map.of("k8s-monitoring", ModuleFiles.DEPLOY_GUIDE, "runbooks", ModuleFiles.RUNBOOKS);
        List<Path> sources = new ArrayList<>(List.of(ModuleFiles.DEPLOY_GUIDE, ModuleFiles.RUNBOOKS));
        for (Path dir :
                List.of(ModuleFiles.BASE, ModuleFiles.SIDECAR_COMPONENT, ModuleFiles.OVERLAYS, ModuleFiles.RULES)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).forEach(sources::add);
            }
        }

        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path source : sources) {
            Matcher m = LINK.matcher(ModuleFiles.read(source));
            while (m.find()) {
                links++;
                // "](#anchor)" points into the page it is written in
                Path page = m.group(3) != null ? source : pages.get(m.group(1));
                String anchor = m.group(3) != null ? m.group(3) : m.group(2);
                if (!Markdown.headingAnchors(ModuleFiles.read(page)).contains(anchor)) {
                    broken.add(ModuleFiles.REPOSITORY.relativize(source) + " -> " + page.getFileName() + "#" + anchor);
                }
            }
        }
        assertThat(links).isGreaterThan(20);
        assertThat(broken).isEmpty();
    }
}
