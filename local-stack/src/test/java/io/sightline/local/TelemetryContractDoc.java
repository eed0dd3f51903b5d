package io.sightline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads names out of {@code docs/telemetry-contract.md} for the tests that pin a module to it: a {@code ## }
 * section, the rows of its table, a bullet with its continuation lines, and the {@code `code`} spans of a text.
 * Written to serve every module's contract test (meant for the shared test-support module); it knows the page's
 * Markdown shapes, not its names.
 */
public final class TelemetryContractDoc {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    private final Path file;
    private final String text;

    private TelemetryContractDoc(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The contract of this repository, read from a module directory (the working directory of its tests). */
    public static TelemetryContractDoc read() {
        return read(Path.of("..", "docs", "telemetry-contract.md"));
    }

    public static TelemetryContractDoc read(Path file) {
        try {
            return new TelemetryContractDoc(file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the telemetry contract " + file.toAbsolutePath(), e);
        }
    }

    /** The section whose {@code ## } heading starts with {@code heading} (e.g. "## 2."), up to the next one. */
    public String section(String heading) {
        int start = text.startsWith(heading) ? 0 : text.indexOf("\n" + heading);
        if (start < 0) {
            throw new AssertionError(file + " has no section '" + heading + "'");
        }
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /**
     * The body rows of the first table in {@code section}, each as its trimmed cells; the header row and the
     * separator row are left out. An escaped pipe ({@code \|}) stays inside its cell.
     */
    public static List<List<String>> tableRows(String section) {
        List<String> lines = section.lines().filter(l -> l.startsWith("|")).toList();
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The bullet ({@code - ...}) of {@code section} that starts with {@code prefix}, continuation lines joined. */
    public String bullet(String section, String prefix) {
        List<String> lines =
                section.lines().dropWhile(l -> !l.startsWith(prefix)).toList();
        if (lines.isEmpty()) {
            throw new AssertionError(file + " has no bullet starting with '" + prefix + "'");
        }
        StringBuilder bullet = new StringBuilder(lines.get(0));
        lines.stream().skip(1).takeWhile(l -> l.startsWith(" ")).forEach(l -> bullet.append(' ')
                .append(l.trim()));
        return bullet.toString();
    }

    /** The contents of the {@code `code`} spans of {@code text}, in order. */
    public static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher span = CODE_SPAN.matcher(text);
        while (span.find()) {
            spans.add(span.group(1));
        }
        return spans;
    }
}
