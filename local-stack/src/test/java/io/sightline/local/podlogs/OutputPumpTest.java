package io.sightline.local.podlogs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.sightline.local.podlogs.CriLines.Line;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Output to CRI lines as containerd writes them: a line per line, longer lines cut into 16 KiB fragments. */
class OutputPumpTest {

    private static final int FRAGMENT = CriLogFile.MAX_FRAGMENT_BYTES;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private List<Line> pump(StdStream stream, String output) throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-11-30T03:40:05.120Z"), ZoneOffset.UTC);
        try (CriLogFile log = new CriLogFile(dir, Long.MAX_VALUE, 5, clock)) {
            new OutputPump(stream, log, copy).pump(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)));
            return CriLines.read(log.live());
        }
    }

    @Test
    void eachLineIsOneFullLineWithTheRuntimesTimeAndStream() throws IOException {
        List<Line> lines = pump(StdStream.STDERR, "level=info msg=\"Server is ready\"\n\nlast\n");

        assertThat(lines)
                .containsExactly(
                        new Line("2026-11-30T03:40:05.12Z", "stderr", "F", "level=info msg=\"Server is ready\""),
                        new Line("2026-11-30T03:40:05.12Z", "stderr", "F", ""),
                        new Line("2026-11-30T03:40:05.12Z", "stderr", "F", "last"));
        assertThat(copy.toString(StandardCharsets.UTF_8)).isEqualTo("level=info msg=\"Server is ready\"\n\nlast\n");
    }

    @Test
    void anEmptyLineKeepsTheSpaceBeforeItsEmptyMessage() throws IOException {
        pump(StdStream.STDOUT, "\n");

        assertThat(java.nio.file.Files.readString(dir.resolve("0.log")))
                .isEqualTo("2026-11-30T03:40:05.12Z stdout F \n");
    }

    @Test
    void outputEndingWithoutNewlineIsALastLineOfItsOwn() throws IOException {
        assertThat(pump(StdStream.STDOUT, "a\nunterminated"))
                .extracting(Line::tag, Line::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("F", "a"),
                        org.assertj.core.groups.Tuple.tuple("F", "unterminated"));
    }

    @Test
    void aLineOfExactly16KiBIsOneFullLine() throws IOException {
        String line = "x".repeat(FRAGMENT);

        assertThat(pump(StdStream.STDOUT, line + "\n")).extracting(Line::tag).containsExactly("F");
    }

    @Test
    void aLongerLineIsCutInto16KiBPartialFragmentsAndAFullLastOne() throws IOException {
        String line = "y".repeat(FRAGMENT) + "z";
        String big = patterned(300 * 1000);

        List<Line> lines = pump(StdStream.STDOUT, line + "\n" + big + "\n");

        assertThat(lines.subList(0, 2)).extracting(Line::tag).containsExactly("P", "F");
        assertThat(lines.get(0).message()).hasSize(FRAGMENT);
        assertThat(lines.get(1).message()).isEqualTo("z");
        List<Line> bigLines = lines.subList(2, lines.size());
        assertThat(bigLines).hasSize(300 * 1000 / FRAGMENT + 1);
        assertThat(bigLines.subList(0, bigLines.size() - 1))
                .allSatisfy(l -> assertThat(l.tag()).isEqualTo("P"))
                .allSatisfy(l -> assertThat(l.message()).hasSize(FRAGMENT));
        assertThat(CriLines.messages(lines, "stdout")).containsExactly(line, big);
    }

    @Test
    void anEightKilobyteLineIsNotCut() throws IOException {
        String line = patterned(8000);

        assertThat(pump(StdStream.STDOUT, line + "\n"))
                .extracting(Line::message)
                .containsExactly(line);
    }

    private static String patterned(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(i).append(' ');
        }
        return text.substring(0, length);
    }
}
