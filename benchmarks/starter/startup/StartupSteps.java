import java.util.*;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;
import org.springframework.core.metrics.StartupStep;

/** Runs the demo with Spring's BufferingApplicationStartup and prints the longest steps (self and total). */
public class StartupSteps {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Class<?> main = Class.forName(System.getProperty("steps.main", "io.sightline.demo.DemoApplication"));
        SpringApplication app = new SpringApplication(main);
        BufferingApplicationStartup startup = new BufferingApplicationStartup(100000);
        app.setApplicationStartup(startup);
        app.run(args);
        long runMs = (System.nanoTime() - t0) / 1_000_000;
        StartupTimeline tl = startup.getBufferedTimeline();
        Map<Long, Long> childSum = new HashMap<>();
        List<StartupTimeline.TimelineEvent> ev = tl.getEvents();
        for (var e : ev) {
            Long p = e.getStartupStep().getParentId();
            if (p != null) childSum.merge(p, e.getDuration().toNanos(), Long::sum);
        }
        StringBuilder out = new StringBuilder("run() ms=" + runMs + " events=" + ev.size() + "\n");
        out.append("== top-level and spring.boot.* steps ==\n");
        for (var e : ev) {
            StartupStep s = e.getStartupStep();
            if (s.getParentId() == null || s.getName().startsWith("spring.boot"))
                out.append(String.format("%8.1f ms  %s %s%n", e.getDuration().toNanos() / 1e6, s.getName(), tags(s)));
        }
        out.append("== top 60 by self time ==\n");
        ev.stream().sorted(Comparator.comparingLong((StartupTimeline.TimelineEvent e) ->
                -(e.getDuration().toNanos() - childSum.getOrDefault(e.getStartupStep().getId(), 0L)))).limit(60)
            .forEach(e -> out.append(String.format("%8.1f self %8.1f total  %s %s%n",
                (e.getDuration().toNanos() - childSum.getOrDefault(e.getStartupStep().getId(), 0L)) / 1e6,
                e.getDuration().toNanos() / 1e6, e.getStartupStep().getName(), tags(e.getStartupStep()))));
        Map<String, Double> byName = new TreeMap<>();
        for (var e : ev) byName.merge(e.getStartupStep().getName(),
            (e.getDuration().toNanos() - childSum.getOrDefault(e.getStartupStep().getId(), 0L)) / 1e6, Double::sum);
        out.append("== self time by step name ==\n");
        byName.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
            .forEach(en -> out.append(String.format("%8.1f ms %s%n", en.getValue(), en.getKey())));
        java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("steps.out", "/tmp/steps.txt")), out);
    }
    static String tags(StartupStep s) {
        StringBuilder b = new StringBuilder();
        for (StartupStep.Tag t : s.getTags()) b.append(t.getKey()).append('=').append(t.getValue()).append(' ');
        return b.toString();
    }
}
