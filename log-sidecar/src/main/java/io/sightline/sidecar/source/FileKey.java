package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

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

    /** Key for maps of files: device and inode only. */
    String inodeKey() {
        return device + ":" + inode;
    }
}
