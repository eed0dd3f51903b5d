package io.sightline.sidecar.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * One entry of {@code SIGHTLINE_INPUT_GLOBS}: the directory to list (the part before the first
 * wildcard) and the matcher for full paths. The glob text is also the {@code input} metric label,
 * which keeps the label's values few and free of file names.
 */
final class GlobInput {

    private final String glob;
    private final Path base;
    private final int depth;
    private final PathMatcher matcher;

    GlobInput(String glob) {
        this.glob = glob;
        this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        Path path = Path.of(glob);
        Path prefix = path.getRoot();
        int index = 0;
        for (; index < path.getNameCount(); index++) {
            String part = path.getName(index).toString();
            if (part.matches(".*[*?\\[{].*")) {
                break;
            }
            prefix = prefix.resolve(part);
        }
        this.base = index == path.getNameCount() ? prefix.getParent() : prefix;
        this.depth = glob.contains("**") ? Integer.MAX_VALUE : Math.max(1, path.getNameCount() - index);
    }

    String glob() {
        return glob;
    }

    boolean matches(Path path) {
        return matcher.matches(path);
    }

    /** Whether {@code file} lies in one of the directories this glob lists (rotated names included). */
    boolean covers(Path file) {
        Path normal = file.normalize();
        int below = normal.getNameCount() - base.getNameCount();
        return normal.isAbsolute() && normal.startsWith(base) && below >= 1 && below <= depth;
    }

    /** Whether {@code dir} is one of the directories this glob lists. */
    boolean coversDirectory(Path dir) {
        Path normal = dir.normalize();
        int below = normal.getNameCount() - base.getNameCount();
        return normal.isAbsolute() && normal.startsWith(base) && below >= 0 && below < depth;
    }

    /** Paths matching the glob (any file type: the caller reports what it cannot read); links are not followed. */
    List<Path> list() throws IOException {
        try (Stream<Path> paths = Files.walk(base, depth)) {
            return paths.filter(p -> !p.equals(base) && matcher.matches(p))
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (UncheckedIOException e) {
            // a directory vanished while listing: the caller skips this round and lists again later
            throw e.getCause();
        }
    }
}
