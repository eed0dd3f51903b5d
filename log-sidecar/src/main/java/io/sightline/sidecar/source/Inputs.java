package io.sightline.sidecar.source;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The inputs ({@code SIGHTLINE_INPUT_GLOBS}) and the directories they allow the sidecar to read. */
final class Inputs {

    private final List<GlobInput> globs;

    Inputs(List<String> globs) {
        this.globs = globs.stream().map(GlobInput::new).toList();
    }

    List<GlobInput> all() {
        return globs;
    }

    /** The input a file belongs to: the first whose glob matches it, else the first whose directories hold it. */
    Optional<GlobInput> of(Path file) {
        return globs.stream().filter(glob -> glob.matches(file)).findFirst().or(() -> globs.stream()
                .filter(glob -> glob.covers(file))
                .findFirst());
    }

    /** Whether a file lies in the inputs' directories (a checkpoint entry must, to be used). */
    boolean cover(Path file) {
        return globs.stream().anyMatch(glob -> glob.covers(file));
    }

    boolean coverDirectory(Path dir) {
        return globs.stream().anyMatch(glob -> glob.coversDirectory(dir));
    }
}
