package io.sightline.benchmarks.sidecar;

import java.nio.file.Path;
import java.util.List;

import io.sightline.benchmarks.sidecar.JarComparison.Jar;
import io.sightline.benchmarks.sidecar.JarComparison.Ratios;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic of comparing jars in the same rounds, on figures given by hand (no processes run). */
class JarComparisonTest {

    @Test
    void roundRStartsWithJarRModNAndKeepsTheNamedOrderAfterIt() {
        assertThat(JarComparison.order(0, 3)).containsExactly(0, 1, 2);
        assertThat(JarComparison.order(1, 3)).containsExactly(1, 2, 0);
        assertThat(JarComparison.order(2, 3)).containsExactly(2, 0, 1);
        assertThat(JarComparison.order(3, 3)).containsExactly(0, 1, 2);
        assertThat(JarComparison.order(5, 2)).containsExactly(1, 0);
    }

    @Test
    void inNRoundsEveryJarRunsInEveryPositionOnce() {
        int jars = 4;
        for (int position = 0; position < jars; position++) {
            int p = position;
            List<Integer> atPosition = List.of(0, 1, 2, 3).stream()
                    .map(round -> JarComparison.order(round, jars).get(p))
                    .sorted()
                    .toList();
            assertThat(atPosition).as("position " + p).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void theMedianIsOfThePerRoundRatiosNotTheRatioOfTheMedians() {
        // the host slows down in round 2 and speeds up in round 3: per round, the candidate is 2x, 0.5x, 2x
        Ratios ratios = JarComparison.ratios(List.of(2.0, 4.0, 8.0), List.of(1.0, 8.0, 4.0));

        assertThat(ratios.perRound()).containsExactly(2.0, 0.5, 2.0);
        assertThat(ratios.median()).isEqualTo(2.0); // the medians (4 and 4) would say 1.0
    }

    @Test
    void anEvenNumberOfRoundsTakesTheMeanOfTheMiddleTwo() {
        Ratios ratios = JarComparison.ratios(List.of(0.6, 0.8, 1.2, 0.5), List.of(1.0, 1.0, 1.0, 0.5));

        assertThat(ratios.perRound()).containsExactly(0.6, 0.8, 1.2, 1.0);
        assertThat(ratios.median()).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void lowerCountsTheRoundsBelowTheReferenceAndTiesApart() {
        Ratios ratios = JarComparison.ratios(List.of(0.9, 0.7, 1.1, 0.68, 0.5), List.of(1.0, 0.8, 1.0, 0.68, 0.6));

        assertThat(ratios.lower()).isEqualTo(3);
        assertThat(ratios.equal()).isEqualTo(1);
        assertThat(ratios.perRound()).hasSize(5);
    }

    @Test
    void roundsWithoutAPartnerAreRefused() {
        assertThatThrownBy(() -> JarComparison.ratios(List.of(1.0, 2.0), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one figure per round");
        assertThatThrownBy(() -> JarComparison.ratios(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPlainPathIsOneUnnamedJarAndAListNamesEachJar() {
        assertThat(JarComparison.parse("/tmp/q8/s7.jar")).containsExactly(new Jar(null, Path.of("/tmp/q8/s7.jar")));
        assertThat(JarComparison.parse("a=/tmp/q8/s7.jar,b=/tmp/q8/fin.jar,c=fin=2.jar"))
                .containsExactly(
                        new Jar("a", Path.of("/tmp/q8/s7.jar")),
                        new Jar("b", Path.of("/tmp/q8/fin.jar")),
                        new Jar("c", Path.of("fin=2.jar")));
    }

    @Test
    void listsThatCannotBeComparedAreRefusedSayingWhatToGive() {
        assertThatThrownBy(() -> JarComparison.parse("a=/tmp/s7.jar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two or more");
        assertThatThrownBy(() -> JarComparison.parse("a=/tmp/s7.jar,/tmp/fin.jar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not NAME=PATH");
        assertThatThrownBy(() -> JarComparison.parse("a=/tmp/s7.jar,a=/tmp/fin.jar"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names a twice");
    }
}
