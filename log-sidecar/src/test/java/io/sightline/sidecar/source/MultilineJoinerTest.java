package io.sightline.sidecar.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MultilineJoinerTest {

    private final List<MultilineJoiner.Joined> records = new ArrayList<>();

    @Test
    void joinsAJavaStackTraceIntoOneRecord() {
        MultilineJoiner joiner = new MultilineJoiner(true, 10_000, records::add);
        String[] trace = {
            "2026-11-27 11:20:00 ERROR request failed",
            "java.lang.IllegalStateException: boom",
            "\tat shop.Cart.add(Cart.java:42)",
            "at shop.Api.post(Api.java:7)",
            "Caused by: java.io.IOException: disk",
            "\t... 12 more",
            "... 3 common frames omitted",
            "Suppressed: java.lang.RuntimeException: close",
            "2026-11-27 11:20:01 INFO next"
        };
        long offset = 0;
        for (String line : trace) {
            joiner.line(line, offset, offset + line.length() + 1, 5);
            offset += line.length() + 1;
        }
        joiner.flush();
        assertThat(records)
                .extracting(MultilineJoiner.Joined::text)
                .containsExactly(
                        "2026-11-27 11:20:00 ERROR request failed",
                        String.join("\n", Arrays.copyOfRange(trace, 1, 8)),
                        "2026-11-27 11:20:01 INFO next");
        assertThat(records.get(1).startOffset()).isEqualTo(trace[0].length() + 1);
        assertThat(records.get(2).endOffset()).isEqualTo(offset);
    }

    @Test
    void startsANewRecordWhenTheLimitIsReachedOrJoiningIsOff() {
        MultilineJoiner limited = new MultilineJoiner(true, 12, records::add);
        limited.line("Exception", 0, 10, 1);
        limited.line("\tat a.B(C)", 10, 21, 1);
        limited.flush();
        assertThat(records).extracting(MultilineJoiner.Joined::text).containsExactly("Exception", "\tat a.B(C)");

        records.clear();
        MultilineJoiner off = new MultilineJoiner(false, 10_000, records::add);
        off.line("Exception", 0, 10, 1);
        off.line("\tat a.B(C)", 10, 21, 1);
        assertThat(records).hasSize(2);
    }

    /** The limit is UTF-8 bytes, as the sink counts: "€" is one character and three bytes. */
    @Test
    void theLimitCountsUtf8BytesNotCharacters() {
        MultilineJoiner limited = new MultilineJoiner(true, 20, records::add);
        limited.line("Exception €€", 0, 16, 1); // 16 bytes
        limited.line("\tat €", 16, 22, 1); // 6 bytes: 16 + 1 + 6 = 23 > 20
        limited.flush();
        assertThat(records).extracting(MultilineJoiner.Joined::text).containsExactly("Exception €€", "\tat €");
    }
}
