package io.sightline.k8s.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sightline.k8s.support.Manifests;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;

import static io.sightline.k8s.support.Manifests.configData;
import static io.sightline.k8s.support.Manifests.podTemplate;

/**
 * The rendered Alertmanager StatefulSet's pod, replayed in a directory: the ConfigMap's files, the user's Secret as
 * files, and the init container {@code render-config} run for real (its script, its environment) with every mount
 * path moved under the directory. What it writes is the configuration Alertmanager would load.
 */
final class AlertmanagerSetup {

    static final String SECRET = "alertmanager-receivers";
    static final String INIT_CONTAINER = "render-config";

    final Path dir;
    private final Manifests manifests;
    private final Map<String, Object> pod;
    private final Map<String, Object> configMap;
    /** mount path in the pod → directory here */
    private final Map<String, Path> mounts = new LinkedHashMap<>();

    AlertmanagerSetup(Path dir) {
        this(dir, ModuleFiles.BASE);
    }

    AlertmanagerSetup(Path dir, Path kustomization) {
        this.dir = dir;
        this.manifests = Manifests.render(kustomization);
        this.pod = Yaml.map(podTemplate(manifests.get("StatefulSet", "alertmanager")), "spec");
        this.configMap = manifests.generatedConfigMap("alertmanager-config");
        try {
            for (Map<String, Object> volume : Yaml.maps(pod, "volumes")) {
                Files.createDirectories(dir.resolve(Yaml.text(volume, "name")));
            }
            Path config = dir.resolve(volumeOf("configMap", Manifests.name(configMap)));
            for (Map.Entry<String, Object> file : Yaml.map(configMap, "data").entrySet()) {
                Files.writeString(config.resolve(file.getKey()), String.valueOf(file.getValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map<String, Object> container : Manifests.allContainers(Map.of("spec", pod))) {
            for (Map<String, Object> mount : Yaml.maps(container, "volumeMounts")) {
                mounts.put(Yaml.text(mount, "mountPath"), dir.resolve(Yaml.text(mount, "name")));
            }
        }
    }

    /** The template as the ConfigMap carries it. */
    String template() {
        return configData(configMap, "alertmanager.yml");
    }

    /** Where the pod mounts the user's Secret, with a trailing slash. */
    String secretMountPath() {
        return podPath(secretDir()) + "/";
    }

    /** Writes one key of the user's Secret. */
    void secretKey(String key, String value) {
        try {
            Files.writeString(secretDir().resolve(key), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file the init container reads the heartbeat URL from: a key of the user's Secret. */
    String heartbeatKey() {
        return Path.of(initEnv().get("HEARTBEAT_URL_FILE")).getFileName().toString();
    }

    /** Runs the init container's command with its environment, mount paths moved here. */
    Tool.Result render() {
        List<Object> command = Yaml.list(initContainer(), "command");
        Map<String, String> env = initEnv();
        // sh -c 'NAME1="$1" NAME2="$2" ... exec <command> ' render <value1> <value2> ... : no quoting of values needed
        StringBuilder script = new StringBuilder();
        List<String> args = new ArrayList<>(List.of("-c", "", "render"));
        int i = 1;
        for (Map.Entry<String, String> variable : env.entrySet()) {
            script.append(variable.getKey()).append("=\"$").append(i++).append("\" ");
            args.add(local(variable.getValue()));
        }
        script.append("exec");
        for (Object word : command) {
            script.append(" \"$").append(i++).append('"');
            args.add(local(String.valueOf(word)));
        }
        args.set(1, script.toString());
        return Tool.SH.run(dir, args.toArray(String[]::new));
    }

    /** The configuration the init container wrote, with the Secret's mount path moved here (for amtool). */
    Path renderedConfig() {
        Path written = Path.of(local(initEnv().get("CONFIG_OUT")));
        Path forTools = dir.resolve("alertmanager-here.yml");
        try {
            Files.writeString(forTools, Files.readString(written).replace(secretMountPath(), secretDir() + "/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return forTools;
    }

    /** The main container's argument {@code --name=value}, or null. */
    String alertmanagerArg(String name) {
        for (Object arg : Yaml.list(pod, "containers", "0", "args")) {
            if (String.valueOf(arg).startsWith(name + "=")) {
                return String.valueOf(arg).substring(name.length() + 1);
            }
        }
        return null;
    }

    Map<String, Object> pod() {
        return pod;
    }

    /** The value of the main container's environment variable, resolved from its ConfigMap when it names one. */
    String alertmanagerEnv(String name) {
        Map<String, Object> variable = Yaml.maps(pod, "containers", "0", "env").stream()
                .filter(e -> name.equals(e.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("alertmanager has no environment variable " + name));
        if (variable.containsKey("value")) {
            return Yaml.text(variable, "value");
        }
        Map<String, Object> ref = Yaml.map(variable, "valueFrom", "configMapKeyRef");
        return configData(manifests.get("ConfigMap", Yaml.text(ref, "name")), Yaml.text(ref, "key"));
    }

    private Map<String, Object> initContainer() {
        return Yaml.maps(pod, "initContainers").stream()
                .filter(c -> INIT_CONTAINER.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no init container " + INIT_CONTAINER));
    }

    private Map<String, String> initEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        Yaml.maps(initContainer(), "env").forEach(e -> env.put(Yaml.text(e, "name"), Yaml.text(e, "value")));
        return env;
    }

    private Path secretDir() {
        return dir.resolve(volumeOf("secret", SECRET));
    }

    private String volumeOf(String type, String name) {
        return Yaml.maps(pod, "volumes").stream()
                .filter(v -> name.equals(Yaml.text(v, type, type.equals("secret") ? "secretName" : "name")))
                .map(v -> Yaml.text(v, "name"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " volume " + name));
    }

    /** A path in the pod → the same file here (unchanged when no mount holds it). */
    private String local(String podPath) {
        for (Map.Entry<String, Path> mount : mounts.entrySet()) {
            if (podPath.equals(mount.getKey()) || podPath.startsWith(mount.getKey() + "/")) {
                return mount.getValue() + podPath.substring(mount.getKey().length());
            }
        }
        return podPath;
    }

    private String podPath(Path local) {
        return mounts.entrySet().stream()
                .filter(m -> m.getValue().equals(local))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }
}
