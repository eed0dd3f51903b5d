package io.sightline.benchmarks.sidecar;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import io.sightline.benchmarks.sidecar.JarComparison.Jar;
import io.sightline.benchmarks.sidecar.JarComparison.Ratios;
import io.sightline.testsupport.loki.FakeLoki;
import org.w3c.dom.NodeList;

/**
 * End-to-end throughput: a pre-written, page-cached file of 250-byte JSON lines is shipped by a fresh
 * sidecar process ({@code -Xmx64m}) to a counting {@link FakeLoki} on 127.0.0.1. Per run: lines/s and MiB/s
 * while shipping (first request to last record), CPU seconds of the process per million lines,
 * peak RSS (VmHWM), and start-up to the first shipped batch. With {@code --syslog-ng} the same file
 * goes through syslog-ng's {@code http()} destination in Loki JSON format, alternating fresh
 * processes (sidecar, syslog-ng, sidecar, …) as docs/benchmarks.md asks. With {@code --node} the same
 * lines, written as a container runtime's CRI log file ({@link CriLogFile}) under a kubelet-shaped pod
 * log tree, go through the node agent ({@code SIGHTLINE_MODE=node}, pod metadata off) in the same
 * rounds: sidecar, node, [syslog-ng], sidecar, node, …
 *
 * <p>With {@code --jar a=A.jar,b=B.jar,…} every round runs each jar (and its node run, with {@code --node}) in an
 * order that rotates every round, and the summary sets each jar against the first by per-round ratios
 * ({@link JarComparison}): on this host only runs of the same round compare.
 *
 * <p>Lines shipped to Loki are counted where they arrive, by the counting {@link FakeLoki} (JSON and protobuf+snappy
 * pushes alike), for the shipper as for syslog-ng: the measured process serves nothing while it is measured. The
 * shipper's {@code /metrics} is read once the last line arrived, to check that it counts every line sent and none
 * dropped; the run fails otherwise. With {@code --sink opensearch} the node counts nothing cheaply, so the shipper's
 * {@code /metrics} is polled every 20 ms instead: a production-like interval (15–30 s) would hide the time to the
 * first batch, and those runs carry that scrape load (one text exposition per poll on the shipper's CPU).
 */
public final class SidecarThroughput {

    private static final int LINE_BYTES = 250;
    private static final double MIB = 1024 * 1024;
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** {@code jar}: the jar's name when several are compared, else null. */
    private record Result(
            String jar,
            String variant,
            double linesPerSecond,
            double mibPerSecond,
            double cpuSecondsPerMillion,
            double peakRssMib,
            double firstBatchMillis,
            double loadAverage) {}

    private final Map<String, String> options;
    private final long lines;
    private final Path work;
    /** The jars measured: one, or several compared in rotating rounds. */
    private final List<Jar> jars;
    /** JVM options added to every measured run of a jar (its AppCDS archive, when asked for). */
    private final Map<Jar, List<String>> sharedArchive = new HashMap<>();
    /** Set with {@code --sink opensearch}: the node the sidecar ships to instead of the counting Loki. */
    private OpenSearchNode openSearch;

    /** The container image's JVM flags, read from where the image takes them (jib's {@code jvmFlags}). */
    private final List<String> imageJvmFlags;

    private SidecarThroughput(Map<String, String> options, List<Jar> jars) throws Exception {
        this.options = options;
        this.jars = jars;
        this.imageJvmFlags = imageJvmFlags(Path.of(options.getOrDefault("pom", "log-sidecar/pom.xml")));
        this.lines = Long.parseLong(options.getOrDefault("lines", "1000000"));
        this.work = Path.of(options.getOrDefault("workdir", "/tmp/sightline-sidecar-bench"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help")) {
                System.out.println("""
                        usage: --jar log-sidecar/target/sightline-log-sidecar-<v>-all.jar [--lines 1000000] [--rounds 3]
                               (or --jar NAME=PATH,NAME=PATH,...: the jars in the same rounds, in rotating order,
                               each against the first by per-round ratios; not with --syslog-ng)
                               [--format protobuf|json] [--sink loki|opensearch] [--syslog-ng] [--node]
                               [--workdir /tmp/sightline-sidecar-bench]
                               [--jvm-args "-XX:..."]   (added after the image's jvmFlags, read from --pom log-sidecar/pom.xml)
                               [--java /usr/lib/jvm/<jdk>/bin/java]   (default: the harness's own JVM)
                               [--jfr /tmp/sidecar]   (profile: /tmp/sidecar-<round>.jfr)
                               [--appcds]   (a first, unmeasured run writes an AppCDS archive the measured runs use)""");
                return;
            }
            if (args[i].equals("--syslog-ng") || args[i].equals("--appcds") || args[i].equals("--node")) {
                options.put(args[i].substring(2), "true");
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i] + "; try --help");
            }
        }
        if (!options.containsKey("jar")) {
            throw new IllegalArgumentException("--jar is required; try --help");
        }
        List<Jar> jars = JarComparison.parse(options.get("jar"));
        if (jars.size() > 1) {
            if (options.containsKey("syslog-ng")) {
                throw new IllegalArgumentException("--syslog-ng runs one peer beside one jar per round; compare the"
                        + " jars without it, and run --syslog-ng with each jar alone");
            }
            for (Jar jar : jars) {
                if (!Files.isRegularFile(jar.path())) {
                    throw new IllegalArgumentException("--jar " + jar.name() + "=" + jar.path() + ": no such file");
                }
            }
        }
        new SidecarThroughput(options, jars).run();
    }

    private void run() throws Exception {
        Path input = prepareInput();
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        boolean syslogNg = options.containsKey("syslog-ng");
        Path pods = options.containsKey("node") ? CriLogFile.prepare(input, work.resolve("pods"), lines) : null;
        List<Result> results = new ArrayList<>();
        if (options.getOrDefault("sink", "loki").equals("opensearch")) {
            try (OpenSearchNode node = OpenSearchNode.start(work.resolve("opensearch-" + System.nanoTime()))) {
                openSearch = node;
                for (int round = 1; round <= rounds; round++) {
                    for (Jar jar : inOrder(round)) {
                        results.add(print(runSidecar(jar, input, null, round)));
                        node.deleteBenchmarkIndices();
                    }
                }
            }
            summarize(results);
            return;
        }
        if (options.containsKey("appcds")) {
            for (Jar jar : jars) {
                // the application's classes as this JVM loads them, dumped when the training run exits
                Path archive = work.resolve("sidecar-" + System.nanoTime() + ".jsa");
                sharedArchive.put(jar, List.of("-XX:ArchiveClassesAtExit=" + archive));
                // with --node, trained in node mode: it loads the sidecar's pipeline classes and the node agent's (a
                // second training run would overwrite the archive, not add to it)
                runSidecar(jar, input, pods, 0);
                sharedArchive.put(jar, List.of("-XX:SharedArchiveFile=" + archive));
                if (!Files.exists(archive)) {
                    throw new IllegalStateException("the training run wrote no AppCDS archive " + archive);
                }
            }
        }
        for (int round = 1; round <= rounds; round++) {
            for (Jar jar : inOrder(round)) {
                results.add(print(runSidecar(jar, input, null, round)));
                if (pods != null) {
                    results.add(print(runSidecar(jar, input, pods, round)));
                }
            }
            if (syslogNg) {
                results.add(print(runSyslogNg(input, round)));
            }
        }
        summarize(results);
    }

    /** The jars in the order round {@code round} (from 1) runs them. */
    private List<Jar> inOrder(int round) {
        return JarComparison.order(round - 1, jars.size()).stream()
                .map(jars::get)
                .toList();
    }

    /** The {@code jvmFlag}s of the jib plugin's container in the sidecar's pom: the harness runs what the image runs. */
    static List<String> imageJvmFlags(Path pom) throws Exception {
        NodeList flags = (NodeList) XPathFactory.newInstance()
                .newXPath()
                .evaluate(
                        "//*[local-name()='plugin'][*[local-name()='artifactId']='jib-maven-plugin']"
                                + "//*[local-name()='jvmFlags']/*[local-name()='jvmFlag']",
                        DocumentBuilderFactory.newInstance()
                                .newDocumentBuilder()
                                .parse(pom.toFile()),
                        XPathConstants.NODESET);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < flags.getLength(); i++) {
            result.add(flags.item(i).getTextContent().trim());
        }
        if (result.isEmpty()) {
            throw new IllegalStateException(
                    "no jib jvmFlags in " + pom + "; run from the repository root or pass --pom");
        }
        return result;
    }

    /** Writes the input once (reused across runs) and reads it through, so every run starts page-cached. */
    private Path prepareInput() throws IOException {
        Files.createDirectories(work.resolve("input"));
        Path file = work.resolve("input").resolve("bench.log");
        if (!Files.exists(file) || Files.size(file) != lines * LINE_BYTES) {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (long i = 0; i < lines; i++) {
                    out.write(line(i));
                    out.write('\n');
                }
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return file;
    }

    /**
     * A telemetry-starter-like JSON record padded to exactly 249 characters plus the newline; the JMH benchmark of the
     * per-line path (benchmarks/log-sidecar-jmh) parses the same lines.
     */
    public static String line(long i) {
        String head = String.format(
                Locale.ROOT,
                "{\"@timestamp\":\"2026-11-27T11:20:%02d.%03dZ\",\"level\":\"INFO\","
                        + "\"logger\":\"i.s.demo.OrderService\",\"service_name\":\"demo-service\",\"trace_id\":\"%032x\","
                        + "\"span_id\":\"%016x\",\"message\":\"order %d accepted ",
                (i / 1000) % 60,
                i % 1000,
                i * 7919,
                i * 31,
                i);
        String tail = "\"}";
        String line = head + "x".repeat(Math.max(0, LINE_BYTES - 1 - head.length() - tail.length())) + tail;
        if (line.length() != LINE_BYTES - 1) {
            throw new IllegalStateException("benchmark line is not " + LINE_BYTES + " bytes: " + line);
        }
        return line;
    }

    /** {@code pods}: the pod log directory to read in node mode, or null for the sidecar reading {@code input}. */
    private Result runSidecar(Jar jar, Path input, Path pods, int round) throws Exception {
        List<String> archive = sharedArchive.getOrDefault(jar, List.of());
        String jarPrefix = jar.name() == null ? "" : jar.name() + "-";
        Path checkpoints = Files.createDirectories(work.resolve("checkpoints-" + System.nanoTime()));
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            metricsPort = free.getLocalPort();
        }
        try (FakeLoki server = FakeLoki.startCounting()) {
            String java = options.getOrDefault(
                    "java",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(imageJvmFlags);
            command.addAll(archive);
            if (options.containsKey("jvm-args")) {
                command.addAll(List.of(options.get("jvm-args").split(" ")));
            }
            Path profile = null;
            if (options.containsKey("jfr")) {
                profile = Path.of(options.get("jfr") + (jar.name() == null ? "" : "-" + jar.name())
                                + (pods == null ? "" : "-node") + "-" + round + ".jfr")
                        .toAbsolutePath();
                command.add("-XX:StartFlightRecording=name=bench,settings=profile");
            }
            command.addAll(List.of("-jar", jar.path().toString()));
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> env = builder.environment();
            String sink = openSearch == null ? "loki" : "opensearch";
            env.put("SIGHTLINE_SINK", sink);
            if (openSearch == null) {
                env.put("LOKI_URL", server.url().toString());
                env.put("LOKI_FORMAT", options.getOrDefault("format", "protobuf"));
            } else {
                env.put("OPENSEARCH_URL", openSearch.url().toString());
                env.put("OPENSEARCH_INDEX", OpenSearchNode.INDEX_PREFIX + "{yyyy.MM.dd}");
            }
            if (pods == null) {
                env.put("SIGHTLINE_INPUT_GLOBS", input.getParent() + "/*.log");
            } else {
                env.put("SIGHTLINE_MODE", "node");
                env.put("SIGHTLINE_NODE_PODS_DIR", pods.toString());
                env.put("SIGHTLINE_NODE_READ_FROM", "beginning");
                env.put("SIGHTLINE_NODE_POD_METADATA", "false");
                env.put("NODE_NAME", "bench-node");
            }
            env.put("SIGHTLINE_CHECKPOINT_DIR", checkpoints.toString());
            env.put("SIGHTLINE_METRICS_PORT", Integer.toString(metricsPort));
            env.put("SIGHTLINE_METRICS_ADDRESS", "127.0.0.1");
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.redirectError(work.resolve(jarPrefix + (pods == null ? "sidecar-" : "node-") + round + ".stderr")
                    .toFile());
            HttpClient http = HttpClient.newHttpClient();
            URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
            LongSupplier shipped =
                    openSearch == null ? server::countedEntries : () -> counter(scrape(http, metrics), "sent", sink);
            return measure(
                    jar.name(),
                    (pods == null ? "sidecar (" : "node (")
                            + (openSearch == null ? env.get("LOKI_FORMAT") : "opensearch")
                            + (archive.isEmpty() ? "" : ", AppCDS") + ")",
                    builder,
                    server,
                    shipped,
                    openSearch == null ? () -> crossCheck(http, metrics, sink, server) : () -> {},
                    profile);
        }
    }

    private Result runSyslogNg(Path input, int round) throws Exception {
        try (FakeLoki server = FakeLoki.startCounting()) {
            Path dir = Files.createDirectories(work.resolve("syslog-ng-" + System.nanoTime()));
            Path config = dir.resolve("syslog-ng.conf");
            Files.writeString(config, syslogNgConfig(input, server.url().toString()));
            ProcessBuilder builder = new ProcessBuilder(
                    "syslog-ng",
                    "-F",
                    "-e",
                    "--no-caps",
                    "-f",
                    config.toString(),
                    "--persist-file",
                    dir.resolve("persist").toString(),
                    "--pidfile",
                    dir.resolve("pid").toString(),
                    "--control",
                    dir.resolve("ctl").toString());
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.redirectError(work.resolve("syslog-ng-" + round + ".stderr").toFile());
            return measure(null, "syslog-ng http() json", builder, server, server::countedEntries, () -> {}, null);
        }
    }

    /** Batches of up to 1 MiB / 1 s like the sidecar; each line JSON-escaped (format-json, minus its braces) into Loki's JSON push. */
    static String syslogNgConfig(Path input, String url) {
        return """
                @version: 3.38
                options { stats_freq(0); log-msg-size(262144); };
                source s_bench { file("%s" flags(no-parse) log-fetch-limit(10000) log-iw-size(100000) follow-freq(0.2)); };
                destination d_loki {
                  http(url("%s/loki/api/v1/push") method("POST") headers("Content-Type: application/json" "Expect:")
                       workers(1) batch-lines(4000) batch-bytes(1048576) batch-timeout(1000) log-fifo-size(20000)
                       body-prefix('{"streams":[{"stream":{"service_name":"bench"},"values":[')
                       delimiter(",")
                       body('["${R_UNIXTIME}000000000",$(substr "$(format-json --scope none --key MESSAGE)" 11 -1)]')
                       body-suffix("]}]}"));
                };
                log { source(s_bench); destination(d_loki); flags(flow-control); };
                """.formatted(input, url);
    }

    /** What is checked once every line is shipped and the figures are taken. */
    private interface CrossCheck {
        void run() throws InterruptedException;
    }

    /**
     * {@code shipped}: polled every 20 ms until every line is shipped; {@code profile}: where to dump the sidecar's
     * flight recording once every line is shipped, or null.
     */
    private Result measure(
            String jar,
            String variant,
            ProcessBuilder builder,
            FakeLoki server,
            LongSupplier shipped,
            CrossCheck crossCheck,
            Path profile)
            throws Exception {
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            long deadline =
                    start + TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("timeout-seconds", "300")));
            long firstShipped = 0; // for sinks other than the counting server: the first poll that saw a record sent
            long sent;
            while ((sent = shipped.getAsLong()) < lines) {
                if (sent > 0 && firstShipped == 0) {
                    firstShipped = System.nanoTime();
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(variant + " stopped or timed out after "
                            + shipped.getAsLong() + " of " + lines + " lines (" + server.requestCount() + " requests, "
                            + server.bodyBytes() + " bytes received); see its stderr in " + work);
                }
                TimeUnit.MILLISECONDS.sleep(20); // polling interval of the measurement, not synchronisation
            }
            long done = System.nanoTime();
            double cpuSeconds = cpuSeconds(process.pid());
            double rssMib = peakRssKib(process.pid()) / 1024.0;
            if (profile != null) {
                dumpFlightRecording(process.pid(), profile);
            }
            crossCheck.run();
            long first = server.requestCount() > 0 ? server.firstRequestNanos() : firstShipped;
            double shippingSeconds = (done - first) / 1e9;
            return new Result(
                    jar,
                    variant,
                    lines / shippingSeconds,
                    lines * LINE_BYTES / MIB / shippingSeconds,
                    cpuSeconds / (lines / 1e6),
                    rssMib,
                    (first - start) / 1e6,
                    loadAverage());
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The sidecar halts in its shutdown hook, so JFR's own dump on exit never runs: dump it while it lives. */
    private static void dumpFlightRecording(long pid, Path file) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process dump = new ProcessBuilder(jcmd, Long.toString(pid), "JFR.dump", "name=bench", "filename=" + file)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!dump.waitFor(60, TimeUnit.SECONDS) || dump.exitValue() != 0) {
            throw new IllegalStateException("jcmd JFR.dump failed for " + pid);
        }
        System.out.println("flight recording: " + file);
    }

    /**
     * The shipper's own account, read after the receiver counted every line: every line sent to {@code sink} and none
     * dropped, else the run is void. Read again only while the last batch's 204 is on its way back (its entries are
     * counted before the answer leaves), for at most 10 s; the figures are taken by then.
     */
    private void crossCheck(HttpClient http, URI metrics, String sink, FakeLoki server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String exposition = scrape(http, metrics);
        while (counter(exposition, "sent", sink) < lines && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100); // waiting for the shipper to take in the last answer
            exposition = scrape(http, metrics);
        }
        long sent = counter(exposition, "sent", sink);
        long dropped = counter(exposition, "dropped", sink);
        if (sent != lines || dropped != 0 || server.countedEntries() != lines) {
            throw new IllegalStateException("the shipper's /metrics count " + sent + " records sent and " + dropped
                    + " dropped, the receiver " + server.countedEntries() + " entries, for " + lines
                    + " lines: the run is void; see its stderr in " + work);
        }
    }

    /** The Prometheus text exposition at {@code metrics}, or "" while nothing listens there yet. */
    private static String scrape(HttpClient http, URI metrics) {
        try {
            return http.send(
                            HttpRequest.newBuilder(metrics)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return ""; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of {@code sightline_sidecar_records_<outcome>_total} over the series of {@code sink}. */
    private static long counter(String exposition, String outcome, String sink) {
        Matcher m = Pattern.compile("(?m)^sightline_sidecar_records_" + outcome + "_total\\{([^}]*)} ([0-9.E+]+)$")
                .matcher(exposition);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains("sink=\"" + sink + "\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return (long) sum;
    }

    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** The machine's 1-minute load average when the run ended (the machine is shared: it goes beside every figure). */
    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static long peakRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static Result print(Result r) {
        System.out.printf(
                Locale.ROOT,
                "%-24s %10.0f lines/s %7.1f MiB/s %6.2f CPU s/M lines %6.1f MiB peak RSS %7.0f ms to first batch"
                        + "  (load %.1f)%n",
                r.jar() == null ? r.variant() : r.jar() + " " + r.variant(),
                r.linesPerSecond(),
                r.mibPerSecond(),
                r.cpuSecondsPerMillion(),
                r.peakRssMib(),
                r.firstBatchMillis(),
                r.loadAverage());
        return r;
    }

    private void summarize(List<Result> results) {
        if (jars.size() > 1) {
            summarizeJars(results);
            return;
        }
        Map<String, List<Result>> byVariant = new LinkedHashMap<>();
        results.forEach(r ->
                byVariant.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r));
        System.out.println("--- medians [min..max] ---");
        byVariant.forEach((variant, runs) -> System.out.printf(
                Locale.ROOT,
                "%-24s lines/s %s | MiB/s %s | CPU s/M %s | RSS MiB %s | first batch ms %s | load %s%n",
                variant,
                stats(runs, Result::linesPerSecond),
                stats(runs, Result::mibPerSecond),
                stats(runs, Result::cpuSecondsPerMillion),
                stats(runs, Result::peakRssMib),
                stats(runs, Result::firstBatchMillis),
                stats(runs, Result::loadAverage)));
        List<String> variants = new ArrayList<>(byVariant.keySet());
        // each later variant against each earlier one: node/sidecar, sidecar/syslog-ng, node/syslog-ng
        for (int a = 0; a < variants.size(); a++) {
            for (int b = a + 1; b < variants.size(); b++) {
                boolean peer = variants.get(b).startsWith("syslog-ng");
                String numerator = peer ? variants.get(a) : variants.get(b);
                String denominator = peer ? variants.get(b) : variants.get(a);
                printRatios(numerator, byVariant.get(numerator), denominator, byVariant.get(denominator));
            }
        }
    }

    /** Per-round ratios (the runs of one round ran next to each other), and their median. */
    private static void printRatios(String numerator, List<Result> top, String denominator, List<Result> bottom) {
        Ratios cpu = ratios(top, bottom, Result::cpuSecondsPerMillion);
        System.out.printf(
                Locale.ROOT,
                "median per-round ratio %s / %s: throughput %.2fx, CPU per line %.2fx (per round %s)%n",
                numerator,
                denominator,
                ratios(top, bottom, Result::linesPerSecond).median(),
                cpu.median(),
                cpu.perRound().stream()
                        .map(r -> String.format(Locale.ROOT, "%.2f", r))
                        .toList());
    }

    /**
     * Several jars: per jar (and per variant, sidecar and node) the medians, then each jar against the first named, by
     * the ratios of the runs of the same round.
     */
    private void summarizeJars(List<Result> results) {
        // variant -> jar name -> its runs, one per round in round order
        Map<String, Map<String, List<Result>>> byVariant = new LinkedHashMap<>();
        results.forEach(r -> byVariant
                .computeIfAbsent(r.variant(), k -> new LinkedHashMap<>())
                .computeIfAbsent(r.jar(), k -> new ArrayList<>())
                .add(r));
        int rounds =
                byVariant.values().iterator().next().get(jars.get(0).name()).size();
        // the orders of the first n rounds; the next n repeat them
        String orders = IntStream.rangeClosed(1, jars.size())
                .mapToObj(round -> inOrder(round).stream().map(Jar::name).collect(Collectors.joining(" ")))
                .collect(Collectors.joining(", "));
        System.out.printf(
                Locale.ROOT,
                "--- %d jars in %d rounds, order rotating (%s): medians [min..max] ---%n",
                jars.size(),
                rounds,
                orders);
        byVariant.forEach((variant, byJar) -> {
            for (Jar jar : jars) {
                List<Result> runs = byJar.get(jar.name());
                System.out.printf(
                        Locale.ROOT,
                        "%-24s CPU s/M lines %s | CPU s/run %s | first batch ms %s | peak RSS MiB %s | lines/s %s"
                                + " | load %s%n",
                        jar.name() + " " + variant,
                        stats(runs, Result::cpuSecondsPerMillion),
                        stats(runs, r -> r.cpuSecondsPerMillion() * lines / 1e6, "%.2f"),
                        stats(runs, Result::firstBatchMillis, "%.0f"),
                        stats(runs, Result::peakRssMib),
                        stats(runs, Result::linesPerSecond, "%.0f"),
                        stats(runs, Result::loadAverage));
            }
        });
        String reference = jars.get(0).name();
        System.out.println("--- against " + reference + ": median of the per-round ratios (per round; in how many"
                + " rounds lower) ---");
        byVariant.forEach((variant, byJar) -> {
            for (Jar jar : jars.subList(1, jars.size())) {
                List<Result> runs = byJar.get(jar.name());
                List<Result> references = byJar.get(reference);
                System.out.printf(
                        Locale.ROOT,
                        "%s / %s, %s: CPU %s | first batch %s%n",
                        jar.name(),
                        reference,
                        variant,
                        describe(ratios(runs, references, Result::cpuSecondsPerMillion)),
                        describe(ratios(runs, references, Result::firstBatchMillis)));
            }
        });
    }

    private static Ratios ratios(List<Result> candidate, List<Result> reference, Metric metric) {
        return JarComparison.ratios(
                candidate.stream().map(metric::of).toList(),
                reference.stream().map(metric::of).toList());
    }

    private static String describe(Ratios ratios) {
        return String.format(
                Locale.ROOT,
                "%.2fx (per round %s; lower in %d%s of %d)",
                ratios.median(),
                String.join(
                        " ",
                        ratios.perRound().stream()
                                .map(r -> String.format(Locale.ROOT, "%.2f", r))
                                .toList()),
                ratios.lower(),
                ratios.equal() == 0 ? "" : ", equal in " + ratios.equal() + ",",
                ratios.perRound().size());
    }

    private interface Metric {
        double of(Result r);
    }

    private static String stats(List<Result> runs, Metric metric) {
        return stats(runs, metric, "%.1f");
    }

    /** {@code format}: how each of median, min and max is written. */
    private static String stats(List<Result> runs, Metric metric, String format) {
        List<Double> values = runs.stream().map(metric::of).sorted().toList();
        return String.format(
                Locale.ROOT,
                format + " [" + format + ".." + format + "]",
                JarComparison.median(values),
                values.get(0),
                values.get(values.size() - 1));
    }
}
