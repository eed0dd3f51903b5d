package io.sightline.sidecar.source;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists, each poll, the regular files the globs match, with their key (device, inode, size). It never
 * reads a file and never waits on delivery. A symbolic link is skipped and reported (its target may be
 * anything the sidecar can read: a token, another pod's files) unless links are to be followed; a
 * path that is not a regular file is reported once.
 */
final class Discovery {

    /** A matching regular file as listed. */
    record Found(GlobInput input, Path path, FileKey key) {}

    private final Inputs inputs;
    private final boolean followLinks;
    private final OnceReports reports;

    Discovery(Inputs inputs, boolean followLinks, OnceReports reports) {
        this.inputs = inputs;
        this.followLinks = followLinks;
        this.reports = reports;
    }

    List<Found> list() {
        List<Found> found = new ArrayList<>();
        for (GlobInput input : inputs.all()) {
            List<Path> paths;
            try {
                paths = input.list();
            } catch (IOException | RuntimeException e) {
                reports.warn(
                        input.glob(),
                        "listing",
                        "cannot list the files of an input; retrying every poll interval",
                        "input",
                        input.glob(),
                        "error",
                        e);
                continue;
            }
            reports.gone(input.glob(), "listing");
            for (Path path : paths) {
                FileKey key = stat(input, path);
                if (key != null) {
                    found.add(new Found(input, path, key));
                }
            }
        }
        return found;
    }

    private FileKey stat(GlobInput input, Path path) {
        FileKey key;
        try {
            key = FileKey.of(path, followLinks);
        } catch (NoSuchFileException e) {
            return null; // rotated away between listing and stat
        } catch (IOException e) {
            reports.warn(
                    path.toString(), "stat", "cannot inspect a file matching the input glob", "path", path, "error", e);
            return null;
        }
        if (key.symbolicLink() && !followLinks) {
            reports.warn(
                    path.toString(),
                    "link",
                    "ignoring a symbolic link that matches the input glob: links are not followed"
                            + " (SIGHTLINE_FOLLOW_SYMLINKS=false), so a link cannot make the sidecar ship a"
                            + " file outside its inputs",
                    "path",
                    path,
                    "input",
                    input.glob());
            return null;
        }
        if (!key.regularFile()) {
            reports.warn(
                    path.toString(),
                    "type",
                    "ignoring a path that matches the input glob but is not a regular file",
                    "path",
                    path,
                    "input",
                    input.glob());
            return null;
        }
        reports.gone(path.toString(), "type");
        reports.gone(path.toString(), "link");
        return key;
    }
}
