package io.sightline.local.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.sightline.local.kubelet.ProcFs.CpuQuota;
import io.sightline.local.kubelet.ProcFs.NodeStats;
import io.sightline.local.kubelet.ProcFs.ProcessStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@link ProcFs} on /proc- and cgroup-shaped trees written as the kernel writes them (cgroup v1 and v2, limited and
 * not), and on this machine's real /proc for the test's own process.
 */
class ProcFsTest {

    @TempDir
    Path dir;

    /** A process whose command name holds spaces and a parenthesis: 1234 user + 66 system ticks. */
    private static final String STAT = "42 (java (main) x) S 1 42 42 0 -1 4194560 9000 0 3 0 1234 66 0 0 20 0 31 0"
            + " 5000 6000000000 70000 18446744073709551615 1 1 0 0 0 0 0 4096 16384 0 0 0 17 1 0 0 0 0 0\n";

    private Path proc;
    private Path cgroups;

    private void process(long pid, String cgroupFile) throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        cgroups = Files.createDirectories(dir.resolve("cgroup"));
        Path p = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(p.resolve("stat"), STAT);
        Files.writeString(p.resolve("status"), "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  204800 kB\nThreads:\t31\n");
        Files.writeString(
                p.resolve("io"),
                "rchar: 900000\nwchar: 800000\nsyscr: 10\nsyscw: 20\nread_bytes: 4096\nwrite_bytes: 81920\n"
                        + "cancelled_write_bytes: 0\n");
        Files.writeString(p.resolve("cgroup"), cgroupFile);
    }

    private void file(String path, String content) throws IOException {
        Path file = cgroups.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void readsCpuMemoryAndIoOfTheProcessAndTheLimitsOfItsCgroupV2() throws IOException {
        process(42, "0::/kubepods/orders\n");
        file("kubepods/orders/memory.max", "536870912\n");
        file("kubepods/orders/cpu.max", "50000 100000\n");
        file("kubepods/orders/cpu.stat", "usage_usec 9000\nnr_periods 600\nnr_throttled 150\nthrottled_usec 1\n");

        ProcessStats stats = new ProcFs(proc, cgroups).process(42).orElseThrow();

        assertThat(stats)
                .isEqualTo(new ProcessStats(
                        13.0,
                        204800L * 1024,
                        4096,
                        81920,
                        536870912,
                        Optional.of(new CpuQuota(50000, 100000, 600, 150))));
    }

    @Test
    void cgroupV2WithoutLimitsReportsNone() throws IOException {
        process(42, "0::/user.slice\n");
        file("user.slice/memory.max", "max\n");
        file("user.slice/cpu.max", "max 100000\n");

        ProcessStats stats = new ProcFs(proc, cgroups).process(42).orElseThrow();

        assertThat(stats.memoryLimitBytes()).as("as cAdvisor reports no limit").isZero();
        assertThat(stats.cpu()).isEmpty();
    }

    @Test
    void cgroupV1ReadsEachControllersOwnHierarchy() throws IOException {
        process(42, "12:pids:/ci\n5:memory:/ci/job-7\n3:cpu,cpuacct:/ci/job-7\n1:name=systemd:/ci\n0::/ci\n");
        file("memory/ci/job-7/memory.limit_in_bytes", "1073741824\n");
        file("cpu,cpuacct/ci/job-7/cpu.cfs_quota_us", "200000\n");
        file("cpu,cpuacct/ci/job-7/cpu.cfs_period_us", "100000\n");
        file("cpu,cpuacct/ci/job-7/cpu.stat", "nr_periods 90\nnr_throttled 9\nthrottled_time 123\n");

        ProcessStats stats = new ProcFs(proc, cgroups).process(42).orElseThrow();

        assertThat(stats.memoryLimitBytes()).isEqualTo(1073741824);
        assertThat(stats.cpu()).contains(new CpuQuota(200000, 100000, 90, 9));
    }

    @Test
    void cgroupV1WithoutLimitsReportsNone() throws IOException {
        process(42, "4:memory:/process_api/abc\n1:cpu:/\n");
        file("memory/process_api/abc/memory.limit_in_bytes", "9223372036854771712\n");
        file("cpu/cpu.cfs_quota_us", "-1\n");
        file("cpu/cpu.cfs_period_us", "100000\n");

        ProcessStats stats = new ProcFs(proc, cgroups).process(42).orElseThrow();

        assertThat(stats.memoryLimitBytes()).isZero();
        assertThat(stats.cpu()).isEmpty();
    }

    @Test
    void anEndedProcessOrGarbageReadsAsAbsentNeverAsAnError() throws IOException {
        process(42, "0::/x\n");
        file("x/memory.max", "lots\n");
        file("x/cpu.max", "\n");

        ProcFs procFs = new ProcFs(proc, cgroups);

        assertThat(procFs.process(43)).as("no /proc entry: it ended").isEmpty();
        assertThat(procFs.process(42).orElseThrow().memoryLimitBytes()).isZero();
        assertThat(procFs.process(42).orElseThrow().cpu()).isEmpty();
        Files.writeString(proc.resolve("42/stat"), "42 (java) S 1\n");
        assertThat(procFs.process(42)).as("a truncated stat line").isEmpty();
    }

    @Test
    void nodeCpuIsTheBusyTimeAndItsWorkingSetWhatIsNotAvailable() throws IOException {
        process(42, "0::/\n");
        // user nice system idle iowait irq softirq steal guest guest_nice
        Files.writeString(proc.resolve("stat"), "cpu  1000 200 300 50000 700 10 20 30 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
        Files.writeString(
                proc.resolve("meminfo"),
                "MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    6000000 kB\n");

        assertThat(new ProcFs(proc, cgroups).node())
                .contains(new NodeStats((1000 + 200 + 300 + 10 + 20 + 30) / 100.0, 2000000L * 1024));
    }

    @Test
    void readsThisProcessFromTheRealProc() {
        assumeThat(Path.of("/proc/self/stat")).as("Linux /proc").exists();

        ProcessStats stats =
                ProcFs.system().process(ProcessHandle.current().pid()).orElseThrow();

        assertThat(stats.residentBytes()).isGreaterThan(10L * 1024 * 1024);
        assertThat(stats.cpuSeconds()).isPositive();
        assertThat(ProcFs.system().node().orElseThrow().cpuSeconds()).isGreaterThanOrEqualTo(stats.cpuSeconds());
    }
}
