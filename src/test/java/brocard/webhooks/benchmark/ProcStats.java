package brocard.webhooks.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** CPU time and memory of other processes, from Linux's /proc (see proc(5)). */
final class ProcStats {

    private static final long TICKS_PER_SECOND = clockTicks();

    private ProcStats() {}

    static long ticksPerSecond() {
        return TICKS_PER_SECOND;
    }

    /** utime + stime (fields 14 and 15 of /proc/PID/stat), in seconds. */
    static double cpuSeconds(long pid) {
        String[] f = statFields(pid);
        return f == null ? 0 : (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    }

    /**
     * CPU time in seconds of the process's threads, by group: the thread's name as Linux keeps it
     * ({@code /proc/PID/task/TID/comm}, 15 characters) without a trailing number, so that the 64 {@code otp-delivery-N}
     * workers or the two event loops add up to one line. A thread that ended between two snapshots takes its time with
     * it: the groups are for shares, not for totals.
     */
    static Map<String, Double> threadCpuSeconds(long pid) {
        Map<String, Double> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
                groups.merge(groupOf(name), seconds, Double::sum);
            }
        } catch (IOException e) {
            return Map.of();
        }
        return groups;
    }

    /** "otp-delivery-17" and "otp-delivery-3" are one group, so are "C2 CompilerThre" and "C1 CompilerThre". */
    static String groupOf(String threadName) {
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return JIT_GROUP;
        }
        return threadName.replaceAll("[-_ #]?[0-9]+$", "");
    }

    /** The thread group of the JIT compiler threads. */
    static final String JIT_GROUP = "JIT compiler";

    /**
     * PostgreSQL's CPU time in seconds: the postmaster's own, that of its exited (reaped) children (fields 16 and
     * 17), and that of its live children (backends, WAL writer, checkpointer, …).
     */
    static double postgresCpuSeconds(long postmasterPid) {
        String[] f = statFields(postmasterPid);
        if (f == null) {
            return 0;
        }
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        double children = ProcessHandle.of(postmasterPid)
                .map(p -> p.children().mapToDouble(c -> cpuSeconds(c.pid())).sum())
                .orElse(0.0);
        return ticks / (double) TICKS_PER_SECOND + children;
    }

    /**
     * CPU seconds the whole machine spent busy since boot, summed over its cores (first line of /proc/stat: every
     * column but idle and iowait; guest time is already part of user). Tells how much other processes took.
     */
    static double machineBusySeconds() {
        try {
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]);
            }
            return busy / (double) TICKS_PER_SECOND;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The parent process id (field 4). */
    static long parentPid(long pid) {
        String[] f = statFields(pid);
        if (f == null) {
            throw new IllegalStateException("No process " + pid);
        }
        return Long.parseLong(f[1]);
    }

    /** Peak resident set size (VmHWM of /proc/PID/status) in KiB, or -1. */
    static long peakRssKib(long pid) {
        try {
            Optional<String> line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .findFirst();
            return line.map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Fields from the 3rd (state) on: the command name in parentheses may hold spaces. Null if the process is gone. */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code getconf CLK_TCK}, normally 100. */
    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
