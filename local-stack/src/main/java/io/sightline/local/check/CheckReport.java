package io.sightline.local.check;

import java.util.ArrayList;
import java.util.List;

/** The outcome of {@code --check}: one line per stage, and whether all of them worked. */
public final class CheckReport {

    public enum Outcome {
        PASSED,
        FAILED
    }

    public record Stage(String name, Outcome outcome, String detail) {}

    private final List<Stage> stages = new ArrayList<>();

    public void passed(String stage, String detail) {
        stages.add(new Stage(stage, Outcome.PASSED, detail));
    }

    public void failed(String stage, String detail) {
        stages.add(new Stage(stage, Outcome.FAILED, detail));
    }

    public List<Stage> stages() {
        return List.copyOf(stages);
    }

    public boolean allPassed() {
        return !stages.isEmpty() && stages.stream().allMatch(s -> s.outcome() == Outcome.PASSED);
    }

    public List<String> failedStages() {
        return stages.stream()
                .filter(s -> s.outcome() == Outcome.FAILED)
                .map(Stage::name)
                .toList();
    }

    public String render() {
        StringBuilder text = new StringBuilder("sightline local --check\n");
        for (Stage stage : stages) {
            text.append(String.format(
                    "  %-6s %-22s %s%n",
                    stage.outcome() == Outcome.PASSED ? "ok" : "FAILED", stage.name(), stage.detail()));
        }
        text.append(
                allPassed()
                        ? "all stages worked\n"
                        : "stages that did not work: " + String.join(", ", failedStages()) + "\n");
        return text.toString();
    }
}
