package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and acknowledges over a pipe; it is killed with SIGKILL at random moments (after a random
 * number of acknowledgements, from none, which may fall into its recovery, to a few hundred) at least 50 times.
 * After each kill the journal is opened here: every acknowledged record is present, readable and intact, no
 * corrupt record is returned, and atomic batches are whole.
 */
class JournalKillTest {
    static final int KILLS = 50;
    /** How long a child may stay silent before the run fails as stalled (a hang guard, generous for load). */
    static final long LINE_WAIT_SECONDS = 180;

    @TempDir
    Path tmp;

    /**
     * A guard against a hang, not a measure of speed: 50 child JVMs start, recover and are killed, and on a machine
     * shared by many builds one start alone has taken several seconds. What is proven does not depend on how long
     * it takes; a child that stops answering still fails the run ({@link #LINE_WAIT_SECONDS}).
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void acknowledgedRecordsSurviveRepeatedSigkill() throws Exception {
        Path dir = tmp.resolve("journal");
        Random random = new Random(20261124L);
        Map<Long, String> acked = new HashMap<>();
        long ackCount = 0;
        for (int run = 0; run < KILLS; run++) {
            int killAfter = run % 10 == 0 ? 0 : random.nextInt(400);
            Process child = start(dir, run);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                int acks = 0;
                String line;
                java.util.concurrent.atomic.AtomicLong lastLine = new java.util.concurrent.atomic.AtomicLong(
                        System.nanoTime());
                java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
                Thread guard = stallGuard(child, lastLine, stalled);
                while (acks < killAfter && (line = in.readLine()) != null) {
                    lastLine.set(System.nanoTime());
                    if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        int r = Integer.parseInt(f[1]);
                        long seq = Long.parseLong(f[2]);
                        if (f.length == 4) {
                            acked.put(Long.parseLong(f[3]), JournalKillChild.payload(r, seq, -1));
                        } else {
                            for (int part = 0; part < 3; part++) {
                                acked.put(Long.parseLong(f[3 + part]), JournalKillChild.payload(r, seq, part));
                            }
                        }
                        acks++;
                    }
                }
                guard.interrupt();
                assertThat(stalled.get()).as("run %d: the child stayed silent for %d s", run, LINE_WAIT_SECONDS)
                        .isFalse();
                // SIGKILL through the handle: unlike Process.destroyForcibly it leaves our end of the pipe open
                assertThat(child.toHandle().destroyForcibly()).isTrue();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                // acknowledgements still in the pipe when it died were acknowledged too
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        int r = Integer.parseInt(f[1]);
                        long seq = Long.parseLong(f[2]);
                        for (int part = 0; part < f.length - 3; part++) {
                            acked.put(Long.parseLong(f[3 + part]),
                                    JournalKillChild.payload(r, seq, f.length == 4 ? -1 : part));
                        }
                    }
                }
                if (child.exitValue() == 0) {
                    throw new AssertionError("child exited by itself: " + new String(child.getErrorStream()
                            .readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            verify(dir, acked);
            ackCount = acked.size();
        }
        assertThat(ackCount).as("records acknowledged over all runs").isGreaterThan(1000);
    }

    /** Kills a child that printed nothing for {@link #LINE_WAIT_SECONDS}, so that a hang fails one run, not CI. */
    private static Thread stallGuard(Process child, java.util.concurrent.atomic.AtomicLong lastLine,
                                     java.util.concurrent.atomic.AtomicBoolean stalled) {
        Thread t = new Thread(() -> {
            try {
                while (child.isAlive()) {
                    Thread.sleep(1_000);
                    if (System.nanoTime() - lastLine.get() > TimeUnit.SECONDS.toNanos(LINE_WAIT_SECONDS)) {
                        stalled.set(true);
                        child.toHandle().destroyForcibly();
                        return;
                    }
                }
            } catch (InterruptedException done) {
                // the run ended
            }
        }, "kill-test-stall-guard");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void verify(Path dir, Map<Long, String> acked) {
        try (Journal j = Journal.builder(dir).segmentBytes(64 * 1024).open()) {
            assertThat(j.recoveryReport().quarantined()).isEmpty();
            Map<Long, String> seen = new HashMap<>();
            Map<String, Set<Integer>> batches = new HashMap<>();
            j.replay(1, r -> {
                String p = new String(r.payload(), StandardCharsets.UTF_8);
                String[] f = p.split(":");
                assertThat(JournalKillChild.payload(Integer.parseInt(f[0]), Long.parseLong(f[1]),
                        Integer.parseInt(f[2]))).as("intact record at %d", r.position()).isEqualTo(p);
                seen.put(r.position(), p);
                if (!f[2].equals("-1")) {
                    batches.computeIfAbsent(f[0] + ":" + f[1], k -> new LinkedHashSet<>()).add(Integer.parseInt(f[2]));
                }
            });
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                assertThat(seen.get(e.getKey())).as("acknowledged record at %d", e.getKey()).isEqualTo(e.getValue());
            }
            for (Map.Entry<String, Set<Integer>> b : batches.entrySet()) {
                assertThat(b.getValue()).as("batch %s whole", b.getKey()).containsExactly(0, 1, 2);
            }
        }
    }

    private static Process start(Path dir, int run) throws Exception {
        Set<String> cp = new LinkedHashSet<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v != null && !v.isEmpty()) {
                cp.addAll(List.of(v.split(File.pathSeparator)));
            }
        }
        cp.add(Path.of(JournalKillChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        cp.add(Path.of(Journal.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");
        cmd.add("-Xshare:auto");
        cmd.add("-Xmx64m");
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, cp));
        cmd.add(JournalKillChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(Integer.toString(run));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
