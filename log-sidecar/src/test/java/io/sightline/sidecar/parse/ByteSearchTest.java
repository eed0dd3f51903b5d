package io.sightline.sidecar.parse;

import java.util.Random;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-at-a-time searches find what a byte-by-byte loop finds, at every position of a word and in its tail. */
class ByteSearchTest {

    /** Every byte the searches look for, and their neighbours (one bit or one value apart, and with the high bit). */
    private static final byte[] NEAR = {
        '\n',
        0x0b,
        0x09,
        (byte) 0x8a,
        '"',
        '!',
        '#',
        (byte) 0xa2,
        '\\',
        '[',
        ']',
        (byte) 0xdc,
        0x7f,
        0x7e,
        (byte) 0x80,
        (byte) 0xff,
        0x1f,
        ' ',
        0x21,
        0,
        0x01,
        'a'
    };

    @Test
    void newlineIsTheFirstNewlineByteByByte() {
        assertSameAsByteByByte(16, ByteSearch::newline, b -> b == '\n');
    }

    @Test
    void stringStopIsTheFirstQuoteBackslashControlOrNonAsciiByteByByte() {
        assertSameAsByteByByte(17, ByteSearch::stringStop, b -> b == '"' || b == '\\' || b < 0x20 || b >= 0x7f);
    }

    private interface Search {
        int indexOf(byte[] bytes, int from, int to);
    }

    /** {@code search} on random ranges of random bytes against a loop testing each byte (0–255) with {@code wanted}. */
    private static void assertSameAsByteByByte(long seed, Search search, IntPredicate wanted) {
        Random random = new Random(seed);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = randomBytes(random);
            int from = random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = wanted.test(bytes[i] & 0xff) ? i : -1;
            }
            assertThat(search.indexOf(bytes, from, to)).as("round %d", round).isEqualTo(expected);
        }
    }

    /** Mostly plain text, so that the byte looked for falls at any position of a word, after long runs too. */
    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(80)];
        for (int i = 0; i < bytes.length; i++) {
            int kind = random.nextInt(20);
            bytes[i] = kind == 0
                    ? NEAR[random.nextInt(NEAR.length)]
                    : kind == 1 ? (byte) random.nextInt(256) : (byte) (' ' + random.nextInt(95));
        }
        return bytes;
    }
}
