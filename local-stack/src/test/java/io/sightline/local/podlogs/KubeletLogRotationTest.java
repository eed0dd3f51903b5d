package io.sightline.local.podlogs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kubelet's rotation of one container log: rename with a stamp, gzip the older ones, keep maxFiles. */
class KubeletLogRotationTest {

    private static final ZonedDateTime T0 = ZonedDateTime.of(2026, 11, 30, 3, 40, 5, 0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path live() {
        return dir.resolve("0.log");
    }

    private void write(String content) throws IOException {
        Files.writeString(live(), content);
    }

    private String names() throws IOException {
        try (var files = Files.list(dir)) {
            return String.join(
                    " ", files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theLiveFileIsRenamedWithTheKubeletsStamp() throws IOException {
        write("first\n");

        assertThat(new KubeletLogRotation(live(), 5).rotate(T0)).isTrue();

        assertThat(names()).isEqualTo("0.log.20261130-034005");
        assertThat(Files.readString(dir.resolve("0.log.20261130-034005"))).isEqualTo("first\n");
    }

    @Test
    void theNextRotationCompressesTheOlderOneAndKeepsTheNewestPlain() throws IOException {
        KubeletLogRotation rotation = new KubeletLogRotation(live(), 5);
        write("first\n");
        rotation.rotate(T0);
        write("second\n");

        rotation.rotate(T0.plusSeconds(10));

        assertThat(names()).isEqualTo("0.log.20261130-034005.gz 0.log.20261130-034015");
        assertThat(gunzip(dir.resolve("0.log.20261130-034005.gz"))).isEqualTo("first\n");
    }

    @Test
    void atMostMaxFilesMinusTwoRotationsRemainBeforeTheLiveFileIsRotated() throws IOException {
        KubeletLogRotation rotation = new KubeletLogRotation(live(), 3);
        for (int i = 0; i < 4; i++) {
            write("rotation " + i + "\n");
            rotation.rotate(T0.plusSeconds(i));
        }

        // with the live file reopened: 3 files, the newest rotation plain, the one before compressed
        assertThat(names()).isEqualTo("0.log.20261130-034007.gz 0.log.20261130-034008");
    }

    @Test
    void aSecondRotationInTheSameSecondWaits() throws IOException {
        KubeletLogRotation rotation = new KubeletLogRotation(live(), 5);
        write("first\n");
        rotation.rotate(T0);
        write("second\n");

        assertThat(rotation.rotate(T0)).isFalse();

        assertThat(Files.readString(live())).isEqualTo("second\n");
        assertThat(Files.readString(dir.resolve("0.log.20261130-034005"))).isEqualTo("first\n");
    }

    @Test
    void leftoversOfAnInterruptedCompressionAreRemoved() throws IOException {
        Files.writeString(dir.resolve("0.log.20261130-034001.tmp"), "half a gzip");
        Files.writeString(dir.resolve("0.log.20261130-034002"), "compressed already\n");
        Files.write(dir.resolve("0.log.20261130-034002.gz"), gzip("compressed already\n"));
        write("live\n");

        new KubeletLogRotation(live(), 5).rotate(T0);

        assertThat(names()).isEqualTo("0.log.20261130-034002.gz 0.log.20261130-034005");
    }

    @Test
    void fewerThanTwoFilesIsRefused() {
        assertThatThrownBy(() -> new KubeletLogRotation(live(), 1)).hasMessageContaining("at least 2");
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
