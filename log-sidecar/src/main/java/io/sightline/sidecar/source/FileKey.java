package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Device and inode of a path, with what else one {@code stat} tells: size, whether it is a regular
 * file, and whether the path itself is a symbolic link. A link is followed only when asked to: then
 * the key is its target's.
 */
record FileKey(long device, long inode, long size, boolean regularFile, boolean symbolicLink) {

    static FileKey of(Path path, boolean followLinks) throws IOException {
        Map<String, Object> attributes =
                Files.readAttributes(path, "unix:dev,ino,size,isRegularFile,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
        boolean link = (Boolean) attributes.get("isSymbolicLink");
        if (link && followLinks) {
            attributes = Files.readAttributes(path, "unix:dev,ino,size,isRegularFile");
        }
        return new FileKey(
                (Long) attributes.get("dev"),
                (Long) attributes.get("ino"),
                (Long) attributes.get("size"),
                (Boolean) attributes.get("isRegularFile"),
                link);
    }

    boolean sameInode(FileKey other) {
        return device == other.device && inode == other.inode;
    }

    /**
     * Opens {@code path} if it still names this file; empty (nothing left open) when it is gone or names another file
     * now: renamed since it was listed, perhaps with a new file in its place. Java cannot stat an open channel, so the
     * path is looked at again once opened; when it still names this inode, that is what was opened (a file renamed away
     * does not come back to its old name: rotations only move on).
     */
    Optional<FileChannel> open(Path path, FileOpener opener, boolean followLinks) throws IOException {
        FileChannel channel;
        try {
            channel = opener.open(path, followLinks);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            if (sameInode(of(path, followLinks))) {
                return Optional.of(channel);
            }
        } catch (NoSuchFileException e) {
            // renamed away since it was opened: which file the channel is cannot be told
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        return Optional.empty();
    }

    /** Key for maps of files: device and inode only. */
    String inodeKey() {
        return device + ":" + inode;
    }
}
