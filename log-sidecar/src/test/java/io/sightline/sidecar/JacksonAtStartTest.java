package io.sightline.sidecar;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.parse.RecordParser;
import io.sightline.sidecar.source.SourcePosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jackson (66 classes) stays off the path to the first batch (issue 16): the diagnostics load it with their first
 * line, the parser with the first line its byte scan refuses. A JVM of its own, watched with {@code -Xlog:class+load}.
 */
class JacksonAtStartTest {

    @TempDir
    Path dir;

    @Test
    void creatingTheDiagnosticsAndParsingAPlainLineLoadNoJacksonClass() throws Exception {
        Path classes = dir.resolve("classes.log");
        String out = OwnJvm.run(dir, "-Xlog:class+load:file=" + classes, PlainLine.class);
        assertThat(out.strip()).isEqualTo("WARN");
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).as("the log covers the parse").anyMatch(line -> line.contains(RecordParser.class.getName()));
        assertThat(loaded).as("Jackson classes loaded").noneMatch(line -> line.contains(" com.fasterxml.jackson."));
    }

    /** The process the test watches: diagnostics created, one line the byte scan reads. */
    static final class PlainLine {
        public static void main(String[] args) {
            Diagnostics diagnostics = Diagnostics.stderr("info");
            RecordParser parser = new RecordParser(() -> diagnostics.warn("unparsed"));
            byte[] line = "{\"@timestamp\":\"2026-11-30T12:00:00Z\",\"level\":\"WARN\",\"message\":\"plain\"}"
                    .getBytes(StandardCharsets.UTF_8);
            LogRecord record = parser.parseLine(line, 0, line.length, 1L, new SourcePosition("f", 0, line.length));
            System.out.println(record.level());
        }
    }
}
