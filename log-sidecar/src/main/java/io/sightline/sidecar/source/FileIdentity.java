package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Which file this is, independent of its name: device and inode, plus a checksum of its first
 * bytes so that an inode reused for a new file (after the old one was deleted) is not mistaken for
 * the old file, and a {@code generation} that tells apart contents of one inode truncated in place
 * (copytruncate). The fingerprint covers the first {@link #FINGERPRINT_BYTES} bytes, or all of a
 * shorter file at first sight; its length is part of the identity so it can be checked again later.
 */
public record FileIdentity(long device, long inode, int fingerprintLength, long fingerprint, int generation) {

    public static final int FINGERPRINT_BYTES = 256;

    /** The stable text form stored in checkpoints and {@link SourcePosition#fileId()}. */
    public String id() {
        return Long.toHexString(device)
                + '-'
                + Long.toHexString(inode)
                + '-'
                + fingerprintLength
                + '-'
                + Long.toHexString(fingerprint)
                + '-'
                + generation;
    }

    public static Optional<FileIdentity> parse(String id) {
        String[] parts = id.split("-");
        if (parts.length != 5) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileIdentity(
                    Long.parseUnsignedLong(parts[0], 16),
                    Long.parseUnsignedLong(parts[1], 16),
                    Integer.parseInt(parts[2]),
                    Long.parseLong(parts[3], 16),
                    Integer.parseInt(parts[4])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A new identity for a file first seen with {@code size} bytes. */
    static FileIdentity firstSight(FileKey key, FileChannel channel, long size, int generation) throws IOException {
        int length = (int) Math.min(size, FINGERPRINT_BYTES);
        return new FileIdentity(key.device(), key.inode(), length, checksum(channel, length), generation);
    }

    /** A new identity for content whose first {@code length} bytes are {@code start} (read from a compressed file). */
    static FileIdentity ofContent(FileKey key, byte[] start, int length, int generation) {
        int fingerprintLength = Math.min(length, FINGERPRINT_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(start, 0, fingerprintLength);
        return new FileIdentity(key.device(), key.inode(), fingerprintLength, crc.getValue(), generation);
    }

    boolean sameInode(FileKey key) {
        return key.device() == device && key.inode() == inode;
    }

    /** Whether the channel still starts with the bytes this identity was taken from. */
    boolean sameContent(FileChannel channel) throws IOException {
        return checksum(channel, fingerprintLength) == fingerprint;
    }

    /** Whether {@code start} (the first {@code length} bytes of some content) begins with the fingerprinted bytes. */
    boolean sameContent(byte[] start, int length) {
        if (length < fingerprintLength) {
            return false;
        }
        CRC32C crc = new CRC32C();
        crc.update(start, 0, fingerprintLength);
        return crc.getValue() == fingerprint;
    }

    /** CRC32C of the first {@code length} bytes, or -1 when the file is shorter (CRC32C is never negative). */
    static long checksum(FileChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                return -1;
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.flip());
        return crc.getValue();
    }
}
