package io.sightline.sidecar.node.path;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Recognises container log files under the kubelet's pod log root (default {@code /var/log/pods}) and
 * rejects everything else. Only names are looked at (nothing is opened or followed), so a path the
 * kubelet would never write yields nothing instead of a wrong identity:
 *
 * <ul>
 *   <li>exactly {@code <root>/<namespace>_<pod>_<uid>/<container>/<file>};
 *   <li>namespace and container: DNS-1123 labels (lower-case letters, digits, {@code -}; at most 63);
 *       pod: a DNS-1123 subdomain (labels joined by {@code .}; at most 253). None can hold {@code _},
 *       which is why the directory name splits unambiguously;
 *   <li>uid: a UUID as the API server assigns ({@code 8-4-4-4-12} hex digits), or 32 hex digits, the
 *       hash the kubelet uses as the uid of a static pod;
 *   <li>file: {@code <restart>.log} (restart count without leading zeros), the kubelet's rotation
 *       {@code <restart>.log.<yyyyMMdd-HHmmss>}, its {@code .gz}, or its {@code .tmp}.
 * </ul>
 */
public final class PodLogPaths {

    public static final Path DEFAULT_ROOT = Path.of("/var/log/pods");

    private static final int MAX_LABEL = 63;
    private static final int MAX_SUBDOMAIN = 253;
    private static final int MAX_RESTART_DIGITS = 9;
    private static final String LOG = ".log";
    private static final String GZ = ".gz";
    private static final String TMP = ".tmp";

    private final Path root;

    public PodLogPaths(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The identity in {@code file}'s path, or empty when it is not a container log file under the root. */
    public Optional<PodLogPath> parse(Path file) {
        Path absolute = file.toAbsolutePath();
        if (!absolute.normalize().equals(absolute) || !absolute.startsWith(root)) {
            return Optional.empty(); // ".." or "." segments, or outside the root
        }
        Path relative = root.relativize(absolute);
        if (relative.getNameCount() != 3) {
            return Optional.empty();
        }
        String[] pod = relative.getName(0).toString().split("_", -1);
        String container = relative.getName(1).toString();
        if (pod.length != 3
                || !isDnsLabel(pod[0])
                || !isDnsSubdomain(pod[1])
                || !isPodUid(pod[2])
                || !isDnsLabel(container)) {
            return Optional.empty();
        }
        return parseFileName(relative.getName(2).toString(), pod[0], pod[1], pod[2], container);
    }

    private static Optional<PodLogPath> parseFileName(
            String name, String namespace, String pod, String uid, String container) {
        int dotLog = name.indexOf(LOG);
        if (dotLog <= 0 || dotLog > MAX_RESTART_DIGITS || !isRestartCount(name, dotLog)) {
            return Optional.empty();
        }
        int restart = Integer.parseInt(name, 0, dotLog, 10);
        String rest = name.substring(dotLog + LOG.length());
        if (rest.isEmpty()) {
            return Optional.of(new PodLogPath(namespace, pod, uid, container, restart, PodLogFileKind.LIVE, null));
        }
        PodLogFileKind kind = PodLogFileKind.ROTATED;
        if (rest.endsWith(GZ)) {
            kind = PodLogFileKind.COMPRESSED;
            rest = rest.substring(0, rest.length() - GZ.length());
        } else if (rest.endsWith(TMP)) {
            kind = PodLogFileKind.TEMPORARY;
            rest = rest.substring(0, rest.length() - TMP.length());
        }
        if (rest.length() != 1 + 15 || rest.charAt(0) != '.' || !isRotationStamp(rest, 1)) {
            return Optional.empty();
        }
        return Optional.of(new PodLogPath(namespace, pod, uid, container, restart, kind, rest.substring(1)));
    }

    static boolean isDnsLabel(String s) {
        return s.length() <= MAX_LABEL && isLabel(s, 0, s.length());
    }

    static boolean isDnsSubdomain(String s) {
        if (s.isEmpty() || s.length() > MAX_SUBDOMAIN) {
            return false;
        }
        int start = 0;
        for (int dot = s.indexOf('.'); dot >= 0; dot = s.indexOf('.', start)) {
            if (!isLabel(s, start, dot)) {
                return false;
            }
            start = dot + 1;
        }
        return isLabel(s, start, s.length());
    }

    private static boolean isLabel(String s, int from, int to) {
        if (from >= to || !isLowerAlphanumeric(s.charAt(from)) || !isLowerAlphanumeric(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (c != '-' && !isLowerAlphanumeric(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isPodUid(String s) {
        if (s.length() == 32) {
            return allHex(s, 0, 32);
        }
        return s.length() == 36
                && s.charAt(8) == '-'
                && s.charAt(13) == '-'
                && s.charAt(18) == '-'
                && s.charAt(23) == '-'
                && allHex(s, 0, 8)
                && allHex(s, 9, 13)
                && allHex(s, 14, 18)
                && allHex(s, 19, 23)
                && allHex(s, 24, 36);
    }

    private static boolean isRestartCount(String s, int end) {
        if (end > 1 && s.charAt(0) == '0') {
            return false;
        }
        return allDigits(s, 0, end);
    }

    /** {@code yyyyMMdd-HHmmss}, Go's {@code 20060102-150405} layout the kubelet names rotations with. */
    private static boolean isRotationStamp(String s, int from) {
        return allDigits(s, from, from + 8) && s.charAt(from + 8) == '-' && allDigits(s, from + 9, from + 15);
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean allHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
