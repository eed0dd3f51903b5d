package io.sightline.local;

import java.io.PrintStream;
import java.util.List;

/** {@code ./sightline local}: starts the local stack; Ctrl-C (or the end of {@code --duration}) stops all of it. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out));
    }

    static int run(List<String> args, PrintStream out) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(LaunchOptions.USAGE);
            return 0;
        }
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sightline local: " + e.getMessage());
            System.err.print(LaunchOptions.USAGE);
            return 2;
        }
        LocalStack stack = new LocalStack(options, out);
        Thread shutdown = new Thread(
                () -> {
                    stack.requestStop();
                    stack.close();
                },
                "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            return stack.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            // start-up failures carry a message meant for the user; anything else is shown whole
            System.err.println("sightline local: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        } finally {
            out.println("sightline local: stopping");
            stack.close();
            out.println("sightline local: stopped");
        }
    }
}
