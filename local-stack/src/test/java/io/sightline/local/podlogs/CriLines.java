package io.sightline.local.podlogs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads CRI log files back for the tests, independently of the code that wrote them: the lines as
 * {@code (stream, tag, message)} and the messages with their fragments joined per stream.
 */
final class CriLines {

    /** One line of a CRI log file. */
    record Line(String time, String stream, String tag, String message) {}

    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?Z) (stdout|stderr) ([PF]) (.*)", Pattern.DOTALL);

    private CriLines() {}

    /** The lines of a plain or gzipped file; fails the test on a line that is not CRI. */
    static List<Line> read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("last line of " + file + " has no newline");
        }
        List<Line> lines = new ArrayList<>();
        for (String raw : text.substring(0, text.length() - 1).split("\n", -1)) {
            Matcher m = LINE.matcher(raw);
            if (!m.matches()) {
                throw new AssertionError("not a CRI line in " + file + ": " + raw);
            }
            lines.add(new Line(m.group(1), m.group(2), m.group(3), m.group(4)));
        }
        return lines;
    }

    /** The messages of {@code lines} of one stream: P fragments joined up to and including their F. */
    static List<String> messages(List<Line> lines, String stream) {
        List<String> messages = new ArrayList<>();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (Line line : lines) {
            if (!line.stream().equals(stream)) {
                continue;
            }
            pending.writeBytes(line.message().getBytes(StandardCharsets.UTF_8));
            if (line.tag().equals("F")) {
                messages.add(pending.toString(StandardCharsets.UTF_8));
                pending.reset();
            }
        }
        if (pending.size() > 0) {
            throw new AssertionError("fragments without their F line: " + pending.size() + " bytes");
        }
        return messages;
    }
}
