package io.sightline.testsupport.loki;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelSelectorTest {

    @Test
    void readsQuotedValuesWithGoEscapes() {
        assertThat(LabelSelector.parse("{a=\"b\", c=\"say \\\"hi\\\"\",d=\"x\\\\y\\nz\"}"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "b", "c", "say \"hi\"", "d", "x\\y\nz"));
        assertThat(LabelSelector.parse("{}")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=\"b\"", "{a=b}", "{a=\"b\", a=\"c\"}", "{a=\"\\t\"}", "{a=\"open}", "{a}"})
    void refusesWhatLokiCannotParse(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(IllegalArgumentException.class);
    }
}
