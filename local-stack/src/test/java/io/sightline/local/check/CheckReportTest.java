package io.sightline.local.check;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckReportTest {

    @Test
    void passesOnlyWhenEveryStagePassed() {
        CheckReport report = new CheckReport();
        assertThat(report.allPassed()).as("nothing checked is not a pass").isFalse();

        report.passed("traffic", "100 requests");
        assertThat(report.allPassed()).isTrue();

        report.failed("alerts", "no alert");
        assertThat(report.allPassed()).isFalse();
        assertThat(report.failedStages()).containsExactly("alerts");
        assertThat(report.render()).contains("ok", "traffic", "FAILED", "alerts", "stages that did not work: alerts");
    }
}
