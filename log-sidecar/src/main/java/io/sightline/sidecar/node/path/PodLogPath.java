package io.sightline.sidecar.node.path;

/**
 * What a container log file's path says, from
 * {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log[.<stamp>[.gz|.tmp]]}.
 * {@code rotationStamp} is the kubelet's {@code yyyyMMdd-HHmmss} suffix (kubelet local time;
 * {@code null} for the live file); ordering rotations of one container by it is ordering them by age.
 */
public record PodLogPath(
        String namespace,
        String pod,
        String podUid,
        String container,
        int restartCount,
        PodLogFileKind kind,
        String rotationStamp) {

    /** Name of the live file this one belongs to ({@code <restart>.log}), in the same directory. */
    public String liveFileName() {
        return restartCount + ".log";
    }
}
