package io.sightline.sidecar.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.sightline.sidecar.metrics.Diagnostics;
import io.sightline.sidecar.parse.LogRecord;
import io.sightline.sidecar.source.SourcePosition;

/**
 * The progress of every file being read, and its persistence. The delivery stage calls
 * {@link #acknowledge} after the sink accepted a batch and then {@link #save}, so the file on disk
 * only ever moves forward to offsets whose records were all acknowledged.
 */
public final class Checkpoints {

    private final CheckpointStore store;
    private final Diagnostics diagnostics;
    private final Map<String, FileProgress> files = new ConcurrentHashMap<>();
    private final Map<String, CheckpointStore.Entry> recovered = new ConcurrentHashMap<>();
    private boolean failing;
    /** A file was tracked since the last save: its entry is not on disk yet. */
    private volatile boolean trackedSinceSave;

    /** {@code store} is null when checkpoints are switched off: progress is then kept in memory only. */
    public Checkpoints(CheckpointStore store, Diagnostics diagnostics) throws IOException {
        this.store = store;
        this.diagnostics = diagnostics;
        if (store != null) {
            for (CheckpointStore.Entry entry : store.read()) {
                recovered.put(entry.fileId(), entry);
            }
        }
    }

    /** Entries of the previous run that no file has claimed yet (see {@link #claim}). */
    public List<CheckpointStore.Entry> unclaimed() {
        return List.copyOf(recovered.values());
    }

    /** The previous run's entry for a file identity, removing it from {@link #unclaimed()}. */
    public Optional<CheckpointStore.Entry> claim(String fileId) {
        return Optional.ofNullable(recovered.remove(fileId));
    }

    public FileProgress track(String fileId, String input, Path path, long startOffset) {
        FileProgress progress = new FileProgress(fileId, input, path, startOffset);
        files.put(fileId, progress);
        trackedSinceSave = true;
        return progress;
    }

    /** Records of one batch, in read order, are all dealt with (accepted, or dropped and counted). */
    public void acknowledge(List<LogRecord> batch) {
        // consecutive records usually come from the same file: one update per run of records
        String currentId = null;
        long end = 0;
        int count = 0;
        for (LogRecord record : batch) {
            SourcePosition position = record.position();
            if (!position.fileId().equals(currentId)) {
                acknowledgeRun(currentId, end, count);
                currentId = position.fileId();
                count = 0;
            }
            end = position.endOffset();
            count++;
        }
        acknowledgeRun(currentId, end, count);
    }

    private void acknowledgeRun(String fileId, long end, int count) {
        if (fileId == null || count == 0) {
            return;
        }
        FileProgress progress = files.get(fileId);
        if (progress != null) {
            progress.acknowledged(end, count);
        }
    }

    /** Whether a file was tracked since the last {@link #save}: the checkpoint on disk does not know it yet. */
    public boolean trackedSinceSave() {
        return trackedSinceSave;
    }

    /** Writes the checkpoint; a file the reader closed and whose records were all acknowledged is dropped from it. */
    public synchronized void save() {
        trackedSinceSave = false;
        List<CheckpointStore.Entry> entries = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        for (FileProgress progress : files.values()) {
            if (progress.finished()) {
                finished.add(progress.fileId());
            } else {
                entries.add(new CheckpointStore.Entry(
                        progress.fileId(), progress.committedOffset(), progress.size(), progress.path()));
            }
        }
        // entries of the previous run not yet matched to a file must survive until they are
        recovered.values().forEach(entries::add);
        if (store != null) {
            try {
                store.write(entries);
                if (failing) {
                    diagnostics.info("checkpoint written again", "file", store.file());
                    failing = false;
                }
            } catch (IOException e) {
                if (!failing) {
                    diagnostics.error(
                            "cannot write the checkpoint: after a restart, records since the last"
                                    + " successful write are sent again; check free space and permissions of"
                                    + " SIGHTLINE_CHECKPOINT_DIR",
                            "file",
                            store.file(),
                            "error",
                            e);
                    failing = true;
                }
                return;
            }
        }
        finished.forEach(files::remove);
    }

    /** Bytes written to the files of each input but not yet acknowledged. */
    public Map<String, Long> lagByInput() {
        Map<String, Long> lag = new TreeMap<>();
        for (FileProgress progress : files.values()) {
            lag.merge(progress.input(), progress.lag(), Long::sum);
        }
        return lag;
    }

    /** For tests and the shutdown summary: the committed offset of each tracked file. */
    public Map<String, Long> committedOffsets() {
        Map<String, Long> offsets = new HashMap<>();
        files.forEach((id, progress) -> offsets.put(id, progress.committedOffset()));
        return offsets;
    }
}
