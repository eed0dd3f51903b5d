package io.sightline.sidecar.node.gz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rotated container logs gzip-compressed the way the kubelet does it (one gzip member per file). */
class GzipReplayTest {

    @TempDir
    Path dir;

    private final byte[] content = criLines(5_000);
    private final List<FileChannel> opened = new ArrayList<>();

    @Test
    void readsOnFromTheCheckpointOffsetInTheUncompressedBytes() throws IOException {
        FileChannel gz = write("0.log.20261130-101500.gz", gzip(content));
        long offset = 123_457;

        try (GzipReplay replay = GzipReplay.open(gz, offset)) {
            assertThat(replay.position()).isEqualTo(offset);
            assertThat(readAll(replay)).isEqualTo(Arrays.copyOfRange(content, (int) offset, content.length));
            assertThat(replay.position()).isEqualTo(content.length);
            assertThat(replay.damage()).isEmpty();
        }
    }

    @Test
    void fromOffsetZeroTheWholeFileAndAtItsEndNothing() throws IOException {
        FileChannel gz = write("0.log.20261130-101500.gz", gzip(content));

        try (GzipReplay whole = GzipReplay.open(gz, 0);
                GzipReplay atEnd = GzipReplay.open(gz, content.length)) {
            assertThat(readAll(whole)).isEqualTo(content);
            assertThat(readAll(atEnd)).isEmpty();
            assertThat(atEnd.damage()).isEmpty();
        }
    }

    @Test
    void aCheckpointBeyondTheFileReadsNothingAndLosesNothing() throws IOException {
        FileChannel gz = write("0.log.20261130-101500.gz", gzip(content));

        try (GzipReplay replay = GzipReplay.open(gz, content.length + 10L)) {
            assertThat(readAll(replay)).isEmpty();
            assertThat(replay.position()).isEqualTo(content.length + 10L);
            assertThat(replay.damage()).isEmpty();
        }
    }

    @Test
    void aTruncatedFileGivesWhatItHoldsThenReportsTheDamage() throws IOException {
        byte[] compressed = gzip(content);
        FileChannel gz = write("cut.gz", Arrays.copyOf(compressed, compressed.length / 2));

        try (GzipReplay replay = GzipReplay.open(gz, 1000)) {
            byte[] read = readAll(replay);

            assertThat(read.length).isPositive();
            assertThat(read).isEqualTo(Arrays.copyOfRange(content, 1000, 1000 + read.length));
            assertThat(replay.damage()).get().satisfies(d -> {
                assertThat(d.position()).isEqualTo(1000L + read.length).isLessThan(content.length);
                assertThat(d.reason()).startsWith("truncated");
                assertThat(d.lostBytes())
                        .as("a cut file has no trailer to tell its size")
                        .isEqualTo(-1);
                assertThat(d.unreadCompressedBytes()).isBetween(0L, (long) compressed.length / 2);
            });
        }
    }

    @Test
    void aFileCutBeforeTheCheckpointReportsWhereReadingStopped() throws IOException {
        byte[] compressed = gzip(content);
        FileChannel gz = write("cut.gz", Arrays.copyOf(compressed, 200));

        try (GzipReplay replay = GzipReplay.open(gz, content.length - 10L)) {
            assertThat(readAll(replay)).isEmpty();
            assertThat(replay.damage()).get().satisfies(d -> assertThat(d.position())
                    .isLessThan(content.length - 10L));
        }
    }

    @Test
    void corruptDataIsReportedWithTheBytesTheTrailerSaysAreLost() throws IOException {
        byte[] compressed = gzip(content);
        // corrupt the middle of the deflate data: it fails to decode long before the end
        for (int i = compressed.length / 2; i < compressed.length / 2 + 64; i++) {
            compressed[i] = (byte) 0xff;
        }
        FileChannel gz = write("corrupt.gz", compressed);

        try (GzipReplay replay = GzipReplay.open(gz, 0)) {
            byte[] read = readAll(replay);

            assertThat(replay.damage()).get().satisfies(d -> {
                assertThat(d.position()).isEqualTo(read.length);
                assertThat(d.lostBytes())
                        .isEqualTo(content.length - d.position())
                        .isPositive();
                assertThat(d.reason()).doesNotStartWith("truncated");
            });
        }
    }

    @Test
    void aBadChecksumAfterAllDataIsReportedWithNothingLost() throws IOException {
        byte[] compressed = gzip(content);
        compressed[compressed.length - 8] ^= 0x01; // CRC32 of the trailer
        FileChannel gz = write("crc.gz", compressed);

        try (GzipReplay replay = GzipReplay.open(gz, 0)) {
            assertThat(readAll(replay)).isEqualTo(content);
            assertThat(replay.damage()).get().satisfies(d -> {
                assertThat(d.position()).isEqualTo(content.length);
                assertThat(d.lostBytes()).isZero();
            });
        }
    }

    @Test
    void aFileThatIsNotGzipOpensAsDamaged() throws IOException {
        FileChannel plain =
                write("plain.gz", "2026-11-30T10:15:00Z stdout F not compressed\n".getBytes(StandardCharsets.UTF_8));
        FileChannel empty = write("empty.gz", new byte[0]);

        try (GzipReplay notGzip = GzipReplay.open(plain, 0);
                GzipReplay nothing = GzipReplay.open(empty, 0)) {
            assertThat(readAll(notGzip)).isEmpty();
            assertThat(notGzip.damage()).get().satisfies(d -> assertThat(d.lostBytes())
                    .isEqualTo(-1));
            assertThat(readAll(nothing)).isEmpty();
            assertThat(nothing.damage()).isPresent();
        }
    }

    /** The reader's way back to an earlier offset: the channel stays open, even once the kubelet removed the file. */
    @Test
    void closingLeavesTheChannelOpenForAnotherReplayAfterTheFileWasRemoved() throws IOException {
        FileChannel gz = write("0.log.20261130-101500.gz", gzip(content));
        try (GzipReplay first = GzipReplay.open(gz, 0)) {
            assertThat(readAll(first)).isEqualTo(content);
        }
        Files.delete(dir.resolve("0.log.20261130-101500.gz"));

        assertThat(gz.isOpen()).isTrue();
        try (GzipReplay again = GzipReplay.open(gz, 1000)) {
            assertThat(readAll(again)).isEqualTo(Arrays.copyOfRange(content, 1000, content.length));
        }
    }

    @Test
    void aNegativeOffsetIsRefused() throws IOException {
        FileChannel gz = write("0.log.20261130-101500.gz", gzip(content));
        assertThatThrownBy(() -> GzipReplay.open(gz, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomCutsAndCorruptionsNeverThrowAndNeverInventBytes() throws IOException {
        byte[] compressed = gzip(content);
        for (long seed = 1; seed <= 60; seed++) {
            Random random = new Random(seed);
            byte[] damaged = Arrays.copyOf(compressed, 1 + random.nextInt(compressed.length));
            boolean cutOnly = random.nextBoolean();
            if (!cutOnly) {
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
            }
            long offset = random.nextInt(content.length);
            FileChannel gz = write("fuzz-" + seed + ".gz", damaged);

            try (GzipReplay replay = GzipReplay.open(gz, offset)) {
                byte[] read = readAll(replay);

                assertThat(replay.read(new byte[10], 0, 10)).isEqualTo(-1);
                if (cutOnly && replay.damage().isPresent()) {
                    // bytes before a cut are intact: exactly the file's content from the offset
                    assertThat(read)
                            .as("seed %d", seed)
                            .isEqualTo(Arrays.copyOfRange(content, (int) offset, (int) offset + read.length));
                }
                if (damaged.length < compressed.length) {
                    assertThat(replay.damage()).as("seed %d", seed).isPresent();
                }
            }
        }
    }

    /** The file written and opened as the reader opens it; closed after the test. */
    private FileChannel write(String name, byte[] bytes) throws IOException {
        FileChannel channel = FileChannel.open(Files.write(dir.resolve(name), bytes), StandardOpenOption.READ);
        opened.add(channel);
        return channel;
    }

    @AfterEach
    void closeChannels() throws IOException {
        for (FileChannel channel : opened) {
            channel.close();
        }
    }

    private static byte[] readAll(GzipReplay replay) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = replay.read(buffer, 0, buffer.length)) >= 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] criLines(int count) {
        Random random = new Random(7);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("2026-11-30T10:15:00.")
                    .append(100_000_000 + i)
                    .append("Z stdout F line ")
                    .append(i);
            lines.append(" value=").append(random.nextLong()).append(" ").append("x".repeat(random.nextInt(80)));
            lines.append('\n');
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }
}
