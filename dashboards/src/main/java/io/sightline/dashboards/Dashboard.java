package io.sightline.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One dashboard file of this module, parsed. */
public record Dashboard(Path file, String text, JsonNode json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The module directory, found from the working directory: this module (under Maven), the repository root,
     * or a sibling module (such as the local stack reusing these helpers).
     */
    public static Path moduleDirectory() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here, here.resolve("dashboards"), here.resolveSibling("dashboards"))) {
            if (Files.exists(candidate.resolve("kustomization.yaml"))
                    && Files.exists(candidate.resolve("pom.xml"))
                    && Files.exists(candidate.resolve("sightline-service.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find the dashboards module from " + here
                + "; run from the repository root, the dashboards module or a sibling module");
    }

    /** Every {@code *.json} file of the module directory, sorted by name. */
    public static List<Dashboard> loadAll() {
        return loadAll(moduleDirectory());
    }

    public static List<Dashboard> loadAll(Path directory) {
        List<Dashboard> dashboards = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                dashboards.add(load(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dashboards in " + directory, e);
        }
        dashboards.sort((a, b) -> a.file.getFileName().compareTo(b.file.getFileName()));
        return dashboards;
    }

    public static Dashboard load(Path file) {
        try {
            String text = Files.readString(file);
            return new Dashboard(file, text, JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard " + file + " (is it valid JSON?)", e);
        }
    }

    public String uid() {
        return json.path("uid").asText();
    }

    public String title() {
        return json.path("title").asText();
    }

    /** All panels, rows included, with the panels nested in collapsed rows flattened in. */
    public List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : json.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Panels that show data (everything but rows). */
    public List<JsonNode> dataPanels() {
        return panels().stream()
                .filter(p -> !"row".equals(p.path("type").asText()))
                .toList();
    }

    public List<JsonNode> variables() {
        return StreamSupport.stream(json.path("templating").path("list").spliterator(), false)
                .toList();
    }

    public Optional<JsonNode> variable(String name) {
        return variables().stream()
                .filter(v -> name.equals(v.path("name").asText()))
                .findFirst();
    }

    /** Annotation queries, without Grafana's built-in "Annotations & Alerts". */
    public List<JsonNode> annotations() {
        return StreamSupport.stream(json.path("annotations").path("list").spliterator(), false)
                .filter(a -> !a.has("builtIn"))
                .toList();
    }

    @Override
    public String toString() {
        return file.getFileName().toString();
    }
}
