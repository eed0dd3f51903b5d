package io.sightline.local;

import java.util.ArrayList;
import java.util.List;

import io.sightline.local.check.LogDeliveryCheck;
import io.sightline.local.logstore.ExternalLoki;
import org.junit.jupiter.api.Test;

import static io.sightline.local.TelemetryContractDoc.codeSpans;
import static io.sightline.local.TelemetryContractDoc.tableRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the names the local stack takes from {@code docs/telemetry-contract.md}: the fields {@code --check} requires
 * of every stored record, and where the Loki variant of the check looks for each name (section 3).
 */
class ContractTest {

    private static final TelemetryContractDoc CONTRACT = TelemetryContractDoc.read();

    @Test
    void everyStoredRecordMustCarryTheFieldsThatAreAlwaysThereAndTheSidecarsMetadata() {
        List<String> always = new ArrayList<>();
        for (List<String> row : tableRows(CONTRACT.section("## 2. Log record"))) {
            if (row.get(1).equals("always")) {
                always.add(codeSpans(row.get(0)).get(0));
            }
        }
        List<String> metadata = new ArrayList<>();
        for (List<String> row : tableRows(CONTRACT.section("## 1. Identity"))) {
            // concept | where it comes from | JSON log field | ...; cluster is optional, so not on every record
            if (row.get(2).equals("added by the sidecar") && !row.get(1).contains("(optional)")) {
                metadata.add(row.get(0));
            }
        }

        assertThat(always).contains("@timestamp", "level", "message").doesNotContain("trace_id");
        assertThat(metadata).containsExactlyInAnyOrder("namespace", "pod", "node", "container");
        List<String> expected = new ArrayList<>(always);
        expected.addAll(metadata);
        assertThat(LogDeliveryCheck.CONTRACT_FIELDS).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theLokiCheckLooksForEachNameWhereSection3PutsIt() {
        String section = CONTRACT.section("## 3. Loki streams");

        assertThat(ExternalLoki.STREAM_LABELS)
                .containsExactlyInAnyOrderElementsOf(codeSpans(CONTRACT.bullet(section, "- Stream labels")));
        assertThat(ExternalLoki.STRUCTURED_METADATA)
                .containsExactlyInAnyOrderElementsOf(codeSpans(CONTRACT.bullet(section, "- Structured metadata")));
    }
}
