package io.sightline.local.parts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.sightline.local.check.CheckReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackPartsTest {

    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A part that records what the stack asks of it, and fails where it is told to. */
    private final class Recording implements StackPart {
        private final String name;
        private final String failsIn;

        Recording(String name, String failsIn) {
            this.name = name;
            this.failsIn = failsIn;
        }

        private void record(String event) {
            events.add(event + " " + name);
            if (event.equals(failsIn)) {
                throw new IllegalStateException(name + " failed in " + event);
            }
        }

        @Override
        public void start() {
            record("start");
        }

        @Override
        public void awaitReady() {
            record("ready");
        }

        @Override
        public List<Url> urls() {
            return List.of(new Url(name, "http://" + name));
        }

        @Override
        public void check(CheckReport report) {
            record("check");
            report.passed(name, "fine");
        }

        @Override
        public void close() {
            record("close");
        }
    }

    private StackParts parts(String failing, String failsIn) {
        List<StackPart> parts = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            parts.add(new Recording(name, name.equals(failing) ? failsIn : ""));
        }
        return new StackParts(parts, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void startsInOrderThenAwaitsEachAndClosesInReverseOnce() throws IOException {
        StackParts parts = parts("", "");

        parts.start();
        parts.close();
        parts.close();

        assertThat(events)
                .containsExactly(
                        "start a", "start b", "start c", "ready a", "ready b", "ready c", "close c", "close b",
                        "close a");
        assertThat(parts.urls()).extracting(StackPart.Url::name).containsExactly("a", "b", "c");
    }

    @Test
    void closingGoesOnWhenAPartFailsToClose() throws IOException {
        StackParts parts = parts("b", "close");
        parts.start();

        parts.close();

        assertThat(events).endsWith("close c", "close b", "close a");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Recording did not close cleanly", "b failed in close");
    }

    @Test
    void aPartWhoseStartFailsIsClosedWithThoseBeforeItAndTheRestNeverStart() {
        StackParts parts = parts("b", "start");

        assertThatThrownBy(parts::start).hasMessage("b failed in start");
        parts.close();

        assertThat(events).containsExactly("start a", "start b", "close b", "close a");
    }

    @Test
    void checksNewestFirstAndClosesEachPartOnceItIsChecked() throws IOException {
        StackParts parts = parts("", "");
        parts.start();
        events.clear();
        CheckReport report = new CheckReport();

        parts.checkAndClose(report);
        parts.close();

        assertThat(events).containsExactly("check c", "close c", "check b", "close b", "check a", "close a");
        assertThat(report.stages()).extracting(CheckReport.Stage::name).containsExactly("c", "b", "a");
    }

    @Test
    void aCheckThatThrowsIsAFailedStageAndTheOtherChecksStillRun() throws IOException {
        StackParts parts = parts("b", "check");
        parts.start();
        CheckReport report = new CheckReport();

        parts.checkAndClose(report);

        assertThat(report.failedStages()).containsExactly("Recording");
        assertThat(report.stages()).extracting(CheckReport.Stage::name).containsExactly("c", "Recording", "a");
        assertThat(events).endsWith("check a", "close a");
    }

    @Test
    void nothingStartsOnceClosed() {
        StackParts parts = parts("", "");
        parts.close();

        assertThatThrownBy(parts::start).hasMessageContaining("stopped while starting");
        assertThat(events).isEmpty();
    }
}
