package io.sightline.telemetry.masking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Masking rules of the telemetry contract, section 6, over a corpus of realistic secret-bearing lines
 * ({@code masking/secrets.tsv}) and innocent look-alikes that must stay as they are
 * ({@code masking/innocent.txt}).
 */
class MaskerTest {

    private static final int MIN_CORPUS_SIZE = 30;

    private final Masker masker = Masker.defaults();

    static Stream<Arguments> secrets() throws IOException {
        return corpus("masking/secrets.tsv").stream().map(line -> {
            String[] parts = line.split("\t");
            assertThat(parts).as("'%s' must be <input>TAB<expected>", line).hasSize(2);
            return Arguments.of(parts[0], parts[1]);
        });
    }

    static Stream<String> innocents() throws IOException {
        return corpus("masking/innocent.txt").stream();
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void masksSecrets(String line, String expected) {
        assertThat(this.masker.mask(line)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void maskingTwiceChangesNothingMore(String line, String expected) {
        assertThat(this.masker.mask(expected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("innocents")
    void leavesInnocentLookAlikesUnchanged(String line) {
        assertThat(this.masker.mask(line)).isSameAs(line);
    }

    @Test
    void corpusIsLargeEnough() throws IOException {
        assertThat(corpus("masking/secrets.tsv")).hasSizeGreaterThanOrEqualTo(MIN_CORPUS_SIZE);
        assertThat(corpus("masking/innocent.txt")).hasSizeGreaterThanOrEqualTo(MIN_CORPUS_SIZE);
    }

    @Test
    void maskValueMasksWholeValueOfSensitiveKeysInAnyCase() {
        assertThat(this.masker.maskValue("Authorization", "Basic abc")).isEqualTo(Masker.MASK);
        assertThat(this.masker.maskValue("X-API-KEY", "k")).isEqualTo(Masker.MASK);
        assertThat(this.masker.maskValue("api_key", "k")).isEqualTo(Masker.MASK);
        assertThat(this.masker.maskValue("user.sessionId", "abc")).isEqualTo(Masker.MASK);
        assertThat(this.masker.maskValue("PASSWD", "x")).isEqualTo(Masker.MASK);
    }

    @Test
    void maskValueMasksSecretsInsideValuesOfOtherKeys() {
        assertThat(this.masker.maskValue("request", "password=x")).isEqualTo("password=****");
        assertThat(this.masker.maskValue("tokenizer", "standard")).isEqualTo("standard");
        assertThat(this.masker.maskValue("order_id", "4111111111111112")).isEqualTo("4111111111111112");
        assertThat(this.masker.maskValue("anything", null)).isNull();
    }

    @Test
    void extraKeysAreSensitiveToo() {
        Masker withExtras = Masker.withExtraKeys(List.of("pin", "iban"));
        assertThat(withExtras.mask("card pin=1234 iban: DE89370400440532013000"))
                .isEqualTo("card pin=**** iban: ****");
        assertThat(withExtras.maskValue("PIN", "1234")).isEqualTo(Masker.MASK);
        assertThat(this.masker.mask("card pin=1234")).isEqualTo("card pin=1234");
    }

    @Test
    void cardNumbersNeedTheLuhnCheck() {
        assertThat(ContractMasker.passesLuhn("4111111111111111")).isTrue();
        assertThat(ContractMasker.passesLuhn("4111111111111112")).isFalse();
    }

    @Test
    void hugeMessagesDoNotOverflowTheLogWritersStack() {
        String unclosed = "password=\"" + "a".repeat(200_000);
        String escapes = "{\"password\":\"" + "\\\"".repeat(100_000) + "\"}";
        String longKey = "x=" + "token".repeat(40_000) + "=value";

        assertThat(this.masker.mask(unclosed)).isEqualTo("password=\"****\"");
        assertThat(this.masker.mask(escapes)).doesNotContain("\\\"\\\"\\\"");
        assertThat(this.masker.mask(longKey)).startsWith("x=tokentoken").endsWith("token=****");
    }

    /**
     * A rule that rescans the rest of the line for every fragment that starts a match costs time
     * quadratic in the line's length: 1 MB of such fragments took minutes. Linear rules finish in
     * milliseconds; the bound only catches the quadratic case, it is no speed target (that is the JMH
     * benchmark's job, {@code benchmarks/starter-jmh}).
     */
    @ParameterizedTest
    @MethodSource("hostileShapes")
    void hostileLinesOfAMegabyteAreMaskedInLinearTime(String shape) {
        String line = HostileLines.SHAPES.get(shape).apply(1 << 20);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> this.masker.mask(line), shape);
    }

    static Stream<String> hostileShapes() {
        return HostileLines.SHAPES.keySet().stream().sorted();
    }

    @Test
    void nullAndEmptyTextPassThrough() {
        assertThat(this.masker.mask(null)).isNull();
        assertThat(this.masker.mask("")).isEmpty();
    }

    private static List<String> corpus(String resource) throws IOException {
        try (InputStream in = MaskerTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        }
    }
}
