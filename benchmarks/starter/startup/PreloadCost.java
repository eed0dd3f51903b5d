import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the class preload's loop (Class.forName(name, false, loader) per listed name) costs inside the fat jar's
 * class loader, for names that are absent (the class path lacks them, as Tomcat's in a WebFlux application) and for
 * the same names present. Absent first, so that none of the named classes has been loaded yet; each set once, in a
 * fresh JVM. Also the metaspace the present classes take when nothing uses them (no application runs in this JVM).
 */
public class PreloadCost {
    public static void main(String[] args) throws Exception {
        List<String> names = Files.readAllLines(Path.of(args[0])).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        ClassLoader loader = PreloadCost.class.getClassLoader();
        System.out.println("loader=" + loader.getClass().getName() + " names=" + names.size());
        // a package no jar has (twice: the first time also loads what the class loader's look-ups need), then a
        // class the library does not have, in a package it has
        run("absent package (first)", names, n -> "absent." + n, loader);
        run("absent package", names, n -> "absent." + n, loader);
        run("absent class, package present", names, n -> n + "Absent", loader);
        run("present (first load)", names, n -> n, loader);
        run("present (already loaded)", names, n -> n, loader);
    }

    private static void run(String what, List<String> names, UnaryOperator<String> rename, ClassLoader loader) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        long classes0 = classes.getLoadedClassCount();
        long metaspace0 = metaspaceUsed();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int found = 0;
        for (String name : names) {
            try {
                Class.forName(rename.apply(name), false, loader);
                found++;
            } catch (ClassNotFoundException | LinkageError missing) {
                // skipped, as the preload does
            }
        }
        double wallMs = (System.nanoTime() - t0) / 1e6;
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
        long newClasses = classes.getLoadedClassCount() - classes0;
        long metaspaceKb = (metaspaceUsed() - metaspace0) / 1024;
        System.out.printf(
                "%-30s n=%d found=%d wall_ms=%.0f cpu_ms=%.0f cpu_us_per_name=%.1f new_classes=%d metaspace_kb=+%d%n",
                what, names.size(), found, wallMs, cpuMs, cpuMs * 1000 / names.size(), newClasses, metaspaceKb);
    }

    /** Metaspace in use (class metadata and the compressed class space), bytes. */
    private static long metaspaceUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getName().equals("Metaspace"))
                .mapToLong(pool -> pool.getUsage().getUsed())
                .sum();
    }
}
