package io.sightline.testsupport.tool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs a main class in a JVM of its own, with the same Java and classpath as the test that
 * starts it: for tests that must see a process exit, be killed, or run under JVM flags of its own.
 */
public final class JavaCommand {

    private JavaCommand() {}

    /** {@code java <jvmOptions> -cp <this classpath> <mainClass> <args>}. */
    public static List<String> of(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }
}
