package io.sightline.k8s.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Where the module's files are: the tests read the manifests and rules from the source tree. */
public final class ModuleFiles {

    /** k8s-monitoring/ (surefire runs the tests there and also passes it as {@code basedir}). */
    public static final Path MODULE =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();

    public static final Path REPOSITORY = MODULE.getParent();
    public static final Path BASE = MODULE.resolve("base");
    public static final Path RULES = MODULE.resolve("rules");
    public static final Path RULE_TESTS = RULES.resolve("tests");
    public static final Path OVERLAYS = MODULE.resolve("overlays");
    /** The node agent, in a namespace of its own (it needs host paths); the module's kustomization applies it. */
    public static final Path NODE_AGENT = MODULE.resolve("node-agent");

    public static final Path SIDECAR_COMPONENT = MODULE.resolve("components/log-sidecar");
    /** A user's Deployment with the log-sidecar component applied, as a user would write it. */
    public static final Path SIDECAR_FIXTURE = MODULE.resolve("src/test/kustomize/app-with-sidecar");
    /** The user's service of {@link #SIDECAR_FIXTURE} switched to the user's own Loki (components/external-loki). */
    public static final Path EXTERNAL_LOKI_FIXTURE = MODULE.resolve("src/test/kustomize/app-with-external-loki");
    /** GlitchTip and Grafana's links to it, on top of any variant of the stack (overlays/glitchtip: the base). */
    public static final Path GLITCHTIP_COMPONENT = MODULE.resolve("components/glitchtip");
    /** The stack on the user's own Loki with GlitchTip too, combined the way docs/k8s-monitoring.md tells users to. */
    public static final Path EXTERNAL_LOKI_WITH_GLITCHTIP_FIXTURE =
            MODULE.resolve("src/test/kustomize/external-loki-with-glitchtip");
    /** The stack in a namespace the user chose, renamed the way docs/k8s-monitoring.md tells users to. */
    public static final Path RENAMED_NAMESPACE_FIXTURE = MODULE.resolve("src/test/kustomize/renamed-namespace");
    /** The demo service deployed the way the README tells users to: its base plus the log-sidecar component. */
    public static final Path DEMO_OVERLAY = REPOSITORY.resolve("examples/demo-service/k8s/overlays/sightline");

    public static final Path CONTRACT = REPOSITORY.resolve("docs/telemetry-contract.md");
    public static final Path RUNBOOKS = REPOSITORY.resolve("docs/runbooks.md");
    public static final Path DEPLOY_GUIDE = REPOSITORY.resolve("docs/k8s-monitoring.md");

    private ModuleFiles() {}

    /** The Prometheus rule files: every YAML file in rules/ except its kustomization. */
    public static List<Path> ruleFiles() {
        return list(RULES, p -> !p.getFileName().toString().equals("kustomization.yaml"));
    }

    /** The promtool unit test files in rules/tests/. */
    public static List<Path> ruleTestFiles() {
        return list(RULE_TESTS, p -> true);
    }

    /**
     * What users apply: the whole stack (the module's own kustomization), the base, every overlay, and the two example
     * kustomizations of users' own services.
     */
    public static List<Path> kustomizations() {
        return Stream.concat(Stream.of(MODULE, BASE, SIDECAR_FIXTURE, DEMO_OVERLAY), overlays().stream())
                .toList();
    }

    /** Every overlay directory (one kustomization each). */
    public static List<Path> overlays() {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static List<Path> list(Path dir, Predicate<Path> filter) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(filter)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
