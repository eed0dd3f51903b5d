package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a log file for reading; a seam so tests can simulate a permission failure when running as
 * root. Unless links are to be followed, a symbolic link is not opened ({@code O_NOFOLLOW}): a link
 * put in place of a file between listing and opening cannot make the sidecar read its target.
 */
@FunctionalInterface
public interface FileOpener {

    FileOpener DEFAULT = (path, followLinks) -> followLinks
            ? FileChannel.open(path, StandardOpenOption.READ)
            : FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    FileChannel open(Path path, boolean followLinks) throws IOException;
}
