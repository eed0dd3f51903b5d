package io.sightline.local.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The block device a file is on, named as cAdvisor names it in its {@code device} label: {@code /dev/<name>} from
 * the kernel's {@code /sys/dev/block/<major>:<minor>/uevent}, or {@code <major>:<minor>} when the device has no name
 * there (an overlay or other virtual file system).
 */
public final class BlockDevice {

    private BlockDevice() {}

    /** @param sysDevBlock {@code /sys/dev/block} */
    public static String of(Path file, Path sysDevBlock) {
        long dev;
        try {
            dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        } catch (IOException | RuntimeException e) {
            return "0:0";
        }
        // glibc's major() and minor() of a dev_t
        long major = ((dev & 0x00000000000fff00L) >>> 8) | ((dev & 0xfffff00000000000L) >>> 32);
        long minor = (dev & 0x00000000000000ffL) | ((dev & 0x00000ffffff00000L) >>> 12);
        String number = major + ":" + minor;
        try {
            return Files.readAllLines(sysDevBlock.resolve(number).resolve("uevent")).stream()
                    .filter(line -> line.startsWith("DEVNAME="))
                    .map(line -> "/dev/" + line.substring("DEVNAME=".length()))
                    .findFirst()
                    .orElse(number);
        } catch (IOException | RuntimeException e) {
            return number;
        }
    }
}
