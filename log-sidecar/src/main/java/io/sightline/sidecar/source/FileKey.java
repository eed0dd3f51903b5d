package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** Device and inode of a path, with what else one {@code stat} tells: size and whether it is a regular file. */
record FileKey(long device, long inode, long size, boolean regularFile) {

    static FileKey of(Path path) throws IOException {
        Map<String, Object> attributes =
                Files.readAttributes(path, "unix:dev,ino,size,isRegularFile", LinkOption.NOFOLLOW_LINKS);
        if (!(Boolean) attributes.get("isRegularFile") && Files.isSymbolicLink(path)) {
            // a symlinked log file (e.g. Kubernetes' /var/log/containers) is identified by its target
            attributes = Files.readAttributes(path, "unix:dev,ino,size,isRegularFile");
        }
        return new FileKey(
                (Long) attributes.get("dev"), (Long) attributes.get("ino"), (Long) attributes.get("size"), (Boolean)
                        attributes.get("isRegularFile"));
    }

    boolean sameInode(FileKey other) {
        return device == other.device && inode == other.inode;
    }

    /** Key for maps of open files: device and inode only. */
    String inodeKey() {
        return device + ":" + inode;
    }
}
