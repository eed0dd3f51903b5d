package io.sightline.local.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link VolumeStats} and {@link BlockDevice} on this machine's real file system. */
class VolumeStatsTest {

    @TempDir
    Path dir;

    @Test
    void measuresTheFileSystemOfADirectory() {
        VolumeStats stats = VolumeStats.of(dir).orElseThrow();

        assertThat(stats.capacityBytes()).isPositive();
        assertThat(stats.availableBytes()).isBetween(0L, stats.capacityBytes());
        assertThat(stats.usedBytes()).isBetween(1L, stats.capacityBytes());
        assertThat(stats.inodes()).isPositive();
        assertThat(stats.inodesFree()).isBetween(0L, stats.inodes());
    }

    @Test
    void aDirectoryThatIsGoneIsLeftOut() {
        assertThat(VolumeStats.of(dir.resolve("gone"))).isEmpty();
    }

    @Test
    void blockDeviceIsNamedFromSysOrByItsNumbers() throws IOException {
        Path sys = Files.createDirectories(dir.resolve("sys"));
        String number = BlockDevice.of(dir, sys);
        assertThat(number).as("no uevent under the empty tree").matches("\\d+:\\d+");

        Files.createDirectories(sys.resolve(number));
        Files.writeString(sys.resolve(number).resolve("uevent"), "MAJOR=254\nMINOR=0\nDEVNAME=vda1\nDEVTYPE=disk\n");

        assertThat(BlockDevice.of(dir, sys)).isEqualTo("/dev/vda1");
    }
}
