package io.sightline.k8s.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sightline.k8s.rules.RuleMutants.Mutant;
import io.sightline.k8s.support.ModuleFiles;
import io.sightline.testsupport.tool.Tool;
import io.sightline.testsupport.yaml.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Do the promtool unit tests of rules/tests/ notice a wrong window, threshold or {@code for}? Every mutant of
 * {@link RuleMutants} (one change in a copy of a rule file) runs against the unit tests of that file with the real
 * {@code promtool test rules}; a mutant is caught when some test fails. The groups in {@link #COMPLETE} must catch
 * every one; the score of the others is reported (target/rule-mutation-report.txt and the test's output).
 *
 * <p>The test files of a rule file run in turns, each only for the mutants the earlier ones did not catch (those that
 * name the changed rule first, then the quicker ones); one promtool process tests a batch of mutants, two processes
 * at a time ({@code -Dmutation.threads=N} to change). {@code -Dmutation.files=slo.yaml,...} limits it to some rule files while
 * working on their tests.
 */
class RuleMutationTest {

    /** Groups whose every mutant must be caught. */
    static final Set<String> COMPLETE = Set.of(
            "sightline-slo-recording",
            "sightline-slo-alerts",
            "sightline-slo-period",
            "sightline-pipeline",
            "sightline-tempo");

    private static final int BATCH = 16;

    /** How many test files ran against a mutant, for the report. */
    private int testRuns;

    @TempDir
    Path dir;

    @Test
    void unitTestsCatchEveryChangedWindowThresholdAndFor() throws Exception {
        Tool.PROMTOOL.require();
        String only = System.getProperty("mutation.files", "");
        List<Path> ruleFiles = ModuleFiles.ruleFiles().stream()
                .filter(f -> only.isBlank()
                        || Arrays.asList(only.split(","))
                                .contains(f.getFileName().toString()))
                .toList();
        Map<Path, List<Path>> testsOf = new TreeMap<>();
        Map<Path, Long> cost = new HashMap<>();
        for (Path ruleFile : ruleFiles) {
            testsOf.put(ruleFile, testFilesOf(ruleFile));
            assertThat(testsOf.get(ruleFile)).as("unit tests of %s", ruleFile).isNotEmpty();
            // the unchanged file passes: otherwise every mutant would count as caught
            for (Path testFile : testsOf.get(ruleFile)) {
                long start = System.nanoTime();
                Tool.PROMTOOL
                        .run(ModuleFiles.RULE_TESTS, "test", "rules", testFile.toString())
                        .assertSuccess();
                cost.merge(testFile, System.nanoTime() - start, Math::max);
            }
        }

        List<Mutant> mutants =
                ruleFiles.stream().flatMap(f -> RuleMutants.of(f).stream()).toList();
        long started = System.nanoTime();
        boolean[] caught = catchMutants(mutants, testsOf, cost);

        Map<String, int[]> scores = new TreeMap<>();
        List<String> survivors = new ArrayList<>();
        for (int i = 0; i < mutants.size(); i++) {
            Mutant mutant = mutants.get(i);
            int[] score = scores.computeIfAbsent(mutant.file().getFileName() + " " + mutant.group(), g -> new int[2]);
            score[1]++;
            if (caught[i]) {
                score[0]++;
            } else {
                survivors.add(mutant.toString());
            }
        }
        String report = report(scores, survivors, Duration.ofNanos(System.nanoTime() - started), testRuns);
        System.out.println(report);
        Files.createDirectories(ModuleFiles.MODULE.resolve("target"));
        Files.writeString(ModuleFiles.MODULE.resolve("target/rule-mutation-report.txt"), report);

        assertThat(mutants).isNotEmpty();
        assertThat(survivors.stream()
                        .filter(s -> COMPLETE.stream().anyMatch(g -> s.contains(" " + g + " ")))
                        .toList())
                .as("mutants of %s that no unit test catches", COMPLETE)
                .isEmpty();
    }

    /**
     * Runs every mutant against the test files of its rule file in rounds: round n runs the mutant's n-th test file
     * for the mutants no earlier file caught. A mutant's files come in the order most likely to catch it cheaply:
     * those that name its rule first, then the quicker ones (as timed on the unchanged rules). Each promtool process
     * tests a batch of mutants (one copy of the test file per mutant, loading the mutant's rule file), so its start-up
     * is paid once per batch.
     */
    private boolean[] catchMutants(List<Mutant> mutants, Map<Path, List<Path>> testsOf, Map<Path, Long> cost)
            throws Exception {
        List<Path> mutantFiles = new ArrayList<>();
        for (int i = 0; i < mutants.size(); i++) {
            Path file = Files.createDirectories(dir.resolve("m" + i))
                    .resolve(mutants.get(i).file().getFileName());
            Files.writeString(file, mutants.get(i).text());
            mutantFiles.add(file);
        }
        // a mutant promtool cannot load would fail every test and count as caught: each must be a valid rule file
        for (int from = 0; from < mutantFiles.size(); from += BATCH) {
            List<String> args = new ArrayList<>(List.of("check", "rules"));
            mutantFiles
                    .subList(from, Math.min(from + BATCH, mutantFiles.size()))
                    .forEach(f -> args.add(f.toString()));
            Tool.PROMTOOL.run(dir, args.toArray(String[]::new)).assertSuccess();
        }
        Map<Path, String> texts = new HashMap<>();
        List<List<Path>> order = new ArrayList<>();
        for (Mutant mutant : mutants) {
            order.add(testsOf.get(mutant.file()).stream()
                    .sorted(Comparator.comparing((Path t) ->
                                    !texts.computeIfAbsent(t, ModuleFiles::read).contains(mutant.name()))
                            .thenComparing(cost::get))
                    .toList());
        }
        boolean[] caught = new boolean[mutants.size()];
        int rounds = testsOf.values().stream().mapToInt(List::size).max().orElse(0);
        ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("mutation.threads", 2));
        try {
            for (int round = 0; round < rounds; round++) {
                List<Integer> alive = new ArrayList<>();
                List<Path> testCopies = new ArrayList<>();
                for (int i = 0; i < mutants.size(); i++) {
                    List<Path> tests = order.get(i);
                    if (!caught[i] && round < tests.size()) {
                        alive.add(i);
                        testCopies.add(testCopy(tests.get(round), mutants.get(i), mutantFiles.get(i)));
                        testRuns++;
                    }
                }
                List<Future<List<Boolean>>> batches = new ArrayList<>();
                for (int from = 0; from < alive.size(); from += BATCH) {
                    List<Path> batch = testCopies.subList(from, Math.min(from + BATCH, alive.size()));
                    batches.add(pool.submit(() -> failed(batch)));
                }
                for (int b = 0; b < batches.size(); b++) {
                    List<Boolean> failed = get(batches.get(b));
                    for (int k = 0; k < failed.size(); k++) {
                        caught[alive.get(b * BATCH + k)] |= failed.get(k);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return caught;
    }

    /** A copy of {@code testFile} next to the mutant, whose rule_files load the mutant's file and the others. */
    private static Path testCopy(Path testFile, Mutant mutant, Path mutantFile) throws IOException {
        String text = ModuleFiles.read(testFile);
        for (Object ruleFile : Yaml.list(Yaml.load(text), "rule_files")) {
            Path name = Path.of(String.valueOf(ruleFile)).getFileName();
            Path replacement = name.equals(mutant.file().getFileName()) ? mutantFile : ModuleFiles.RULES.resolve(name);
            text = text.replaceFirst(
                    "(?m)^(\\s*-\\s*)" + Pattern.quote(String.valueOf(ruleFile)) + "\\s*$",
                    "$1" + Matcher.quoteReplacement(replacement.toString()));
        }
        Path copy = mutantFile.resolveSibling(testFile.getFileName());
        Files.writeString(copy, text);
        return copy;
    }

    /** For each test file of the batch, whether promtool failed it: its "Unit Testing:" section lacks SUCCESS. */
    private List<Boolean> failed(List<Path> batch) {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        batch.forEach(f -> args.add(f.toString()));
        // stdout ("Unit Testing: <file>", then SUCCESS) keeps its order in the merged output; failures are on stderr
        String[] sections =
                Tool.PROMTOOL.run(dir, args.toArray(String[]::new)).output().split("Unit Testing: +");
        List<Boolean> failed = new ArrayList<>();
        for (Path file : batch) {
            failed.add(Arrays.stream(sections)
                    .noneMatch(section -> section.startsWith(file + "\n") && section.contains("  SUCCESS")));
        }
        return failed;
    }

    private static String report(Map<String, int[]> scores, List<String> survivors, Duration took, int testRuns) {
        StringBuilder text = new StringBuilder("Rule mutation score (caught / mutants), " + took.toSeconds() + " s, "
                + testRuns + " test files run against a mutant:\n");
        int caught = 0;
        int total = 0;
        for (Map.Entry<String, int[]> group : scores.entrySet()) {
            int[] s = group.getValue();
            caught += s[0];
            total += s[1];
            text.append(
                    String.format("  %-45s %4d / %4d  %5.1f %%%n", group.getKey(), s[0], s[1], 100.0 * s[0] / s[1]));
        }
        text.append(String.format("  %-45s %4d / %4d  %5.1f %%%n", "all", caught, total, 100.0 * caught / total));
        text.append("Not caught:\n");
        survivors.forEach(s -> text.append("  ").append(s).append('\n'));
        return text.toString();
    }

    /** The unit test files that load {@code ruleFile}. */
    private static List<Path> testFilesOf(Path ruleFile) {
        return ModuleFiles.ruleTestFiles().stream()
                .filter(t -> Yaml.list(Yaml.load(ModuleFiles.read(t)), "rule_files").stream()
                        .anyMatch(f -> Path.of(String.valueOf(f)).getFileName().equals(ruleFile.getFileName())))
                .toList();
    }

    private static <T> T get(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a promtool run failed to run", e.getCause());
        }
    }
}
