package io.sightline.local.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads, for one process, what cAdvisor reads for a container, from {@code /proc} and the cgroup file system: CPU
 * time ({@code /proc/<pid>/stat}), resident memory ({@code VmRSS} of {@code /proc/<pid>/status}), block-device I/O
 * ({@code /proc/<pid>/io}), and the memory limit and CPU quota of the cgroup the process runs in (cgroup v1 or v2,
 * as {@code /proc/<pid>/cgroup} names it), with that cgroup's throttling counters. And the node's CPU time and
 * memory from {@code /proc/stat} and {@code /proc/meminfo}, as the kubelet's resource endpoint reports them.
 *
 * <p>Anything missing or unreadable (a process that just ended, a file system without a cgroup controller) reads as
 * absent, never as an error: the stand-in then leaves that series out, as cAdvisor does.
 */
public final class ProcFs {

    /** {@code /proc}'s clock ticks per second (USER_HZ): fixed at 100 by the kernel's ABI for what it reports there. */
    static final long USER_HZ = 100;

    /** cgroup v1 reports "no limit" as a huge number (a page-rounded 2^63-1); cAdvisor treats above 2^62 as none. */
    private static final long NO_LIMIT_ABOVE = 1L << 62;

    private final Path proc;
    private final Path cgroupRoot;

    /** @param proc the {@code /proc} file system; @param cgroupRoot where cgroups are mounted ({@code /sys/fs/cgroup}) */
    public ProcFs(Path proc, Path cgroupRoot) {
        this.proc = proc;
        this.cgroupRoot = cgroupRoot;
    }

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
    }

    /**
     * @param memoryLimitBytes 0 when the cgroup has no memory limit (as cAdvisor reports it)
     * @param cpu empty when the cgroup has no CPU quota
     */
    public record ProcessStats(
            double cpuSeconds,
            long residentBytes,
            long readBytes,
            long writtenBytes,
            long memoryLimitBytes,
            Optional<CpuQuota> cpu) {}

    /**
     * A CFS quota: {@code quotaMicros} of CPU time per {@code periodMicros}, and the periods counted so far.
     *
     * @param periods periods in which the cgroup ran ({@code nr_periods})
     * @param throttledPeriods periods in which it used up its quota ({@code nr_throttled})
     */
    public record CpuQuota(long quotaMicros, long periodMicros, long periods, long throttledPeriods) {}

    /** @param workingSetBytes MemTotal − MemAvailable: memory the node could not hand out without reclaiming */
    public record NodeStats(double cpuSeconds, long workingSetBytes) {}

    /** The process's stats, or empty when it has ended (its {@code /proc} entry is gone). */
    public Optional<ProcessStats> process(long pid) {
        Path dir = proc.resolve(Long.toString(pid));
        Optional<Double> cpu = read(dir.resolve("stat")).flatMap(ProcFs::cpuSecondsOfStat);
        Optional<Long> rss =
                read(dir.resolve("status")).flatMap(s -> field(s, "VmRSS:")).map(kb -> kb * 1024);
        if (cpu.isEmpty() || rss.isEmpty()) {
            return Optional.empty();
        }
        String io = read(dir.resolve("io")).orElse("");
        List<String> cgroups =
                read(dir.resolve("cgroup")).map(s -> s.lines().toList()).orElse(List.of());
        return Optional.of(new ProcessStats(
                cpu.get(),
                rss.get(),
                field(io, "read_bytes:").orElse(0L),
                field(io, "write_bytes:").orElse(0L),
                memoryLimit(cgroups).orElse(0L),
                cpuQuota(cgroups)));
    }

    /** The node's busy CPU time (all but idle and iowait) and working set, or empty where /proc lacks them. */
    public Optional<NodeStats> node() {
        Optional<String> stat = read(proc.resolve("stat"));
        Optional<String> meminfo = read(proc.resolve("meminfo"));
        if (stat.isEmpty() || meminfo.isEmpty()) {
            return Optional.empty();
        }
        String[] cpu = stat.get()
                .lines()
                .filter(l -> l.startsWith("cpu "))
                .findFirst()
                .orElse("cpu")
                .trim()
                .split("\\s+");
        long busyTicks = 0;
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) {
            busyTicks += field < cpu.length ? number(Optional.of(cpu[field])).orElse(0L) : 0;
        }
        long total = field(meminfo.get(), "MemTotal:").orElse(0L);
        long available = field(meminfo.get(), "MemAvailable:").orElse(total);
        return Optional.of(new NodeStats((double) busyTicks / USER_HZ, (total - available) * 1024));
    }

    /**
     * utime + stime (fields 14 and 15) in seconds, or empty when the line is not a stat line; the command name (field
     * 2) may hold spaces and parentheses, so the fields are counted from the last ')'.
     */
    static Optional<Double> cpuSecondsOfStat(String stat) {
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+");
        // afterName[0] is field 3 (state)
        if (afterName.length < 13) {
            return Optional.empty();
        }
        Optional<Long> user = number(Optional.of(afterName[11]));
        Optional<Long> system = number(Optional.of(afterName[12]));
        return user.isPresent() && system.isPresent()
                ? Optional.of((double) (user.get() + system.get()) / USER_HZ)
                : Optional.empty();
    }

    private Optional<Long> memoryLimit(List<String> cgroups) {
        Optional<Path> v1 = v1Dir(cgroups, "memory");
        if (v1.isPresent()) {
            return number(read(v1.get().resolve("memory.limit_in_bytes")))
                    .map(limit -> limit >= NO_LIMIT_ABOVE ? 0L : limit);
        }
        return v2Dir(cgroups)
                .flatMap(dir -> read(dir.resolve("memory.max")))
                .flatMap(limit -> limit.trim().equals("max") ? Optional.of(0L) : number(Optional.of(limit)));
    }

    private Optional<CpuQuota> cpuQuota(List<String> cgroups) {
        Optional<Path> v1 = v1Dir(cgroups, "cpu");
        long quota;
        long period;
        Path dir;
        if (v1.isPresent()) {
            dir = v1.get();
            quota = number(read(dir.resolve("cpu.cfs_quota_us"))).orElse(-1L);
            period = number(read(dir.resolve("cpu.cfs_period_us"))).orElse(0L);
        } else {
            Optional<Path> v2 = v2Dir(cgroups);
            // "max 100000" (no quota) or "50000 100000"
            String[] max = v2.flatMap(d -> read(d.resolve("cpu.max")))
                    .map(s -> s.trim().split("\\s+"))
                    .orElse(new String[0]);
            if (v2.isEmpty() || max.length < 2) {
                return Optional.empty();
            }
            dir = v2.get();
            quota = number(Optional.of(max[0])).orElse(-1L);
            period = number(Optional.of(max[1])).orElse(0L);
        }
        if (quota <= 0 || period <= 0) {
            return Optional.empty();
        }
        String stat = read(dir.resolve("cpu.stat")).orElse("");
        return Optional.of(new CpuQuota(
                quota,
                period,
                field(stat, "nr_periods").orElse(0L),
                field(stat, "nr_throttled").orElse(0L)));
    }

    /** cgroup v1: the line "id:controllers:path" whose controllers include this one, under its own mount. */
    private Optional<Path> v1Dir(List<String> cgroups, String controller) {
        for (String line : cgroups) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                return Optional.of(under(cgroupRoot.resolve(parts[1]), parts[2]));
            }
        }
        return Optional.empty();
    }

    /** cgroup v2: the line "0::path", under the unified mount. */
    private Optional<Path> v2Dir(List<String> cgroups) {
        return cgroups.stream()
                .filter(l -> l.startsWith("0::"))
                .findFirst()
                .map(l -> under(cgroupRoot, l.substring(3)));
    }

    private static Path under(Path root, String cgroupPath) {
        String relative = cgroupPath.replaceFirst("^/+", "");
        return relative.isEmpty() ? root : root.resolve(relative);
    }

    /** The first number after "name" on its line ("VmRSS:   1234 kB", "read_bytes: 42", "nr_periods 7"). */
    static Optional<Long> field(String text, String name) {
        return text.lines()
                .filter(l -> l.startsWith(name))
                .findFirst()
                .flatMap(l ->
                        number(Optional.of(l.substring(name.length()).trim().split("\\s+")[0])))
                .filter(v -> v >= 0);
    }

    /** A whole number (negative too: cgroup v1 writes -1 for "no quota"), or empty for anything else. */
    private static Optional<Long> number(Optional<String> text) {
        return text.map(String::trim).filter(t -> t.matches("-?\\d{1,19}")).flatMap(t -> {
            try {
                return Optional.of(Long.parseLong(t));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            // gone (the process ended) or not there (no such controller): the series is left out
            return Optional.empty();
        }
    }
}
