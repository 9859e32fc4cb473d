package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss: a fault-injecting file channel drops or tears everything written since the last force at a chosen
 * point. Every acknowledged record must survive, which proves that acknowledgements wait for the force; the
 * same crash with {@link Durability#OS_BUFFERED} loses acknowledged records, which proves the test can tell.
 */
class JournalPowerLossTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    @TempDir
    Path tmp;

    /** What one run acknowledged and issued. */
    static final class Run {
        final Map<Long, String> acked = new ConcurrentHashMap<>();
        final Set<String> issued = ConcurrentHashMap.newKeySet();
        final Map<String, List<String>> batches = new HashMap<>();
    }

    static NewRecord rec(String payload) {
        return new NewRecord(RecordType.EVENT, 1, T0, "acct", payload.getBytes(StandardCharsets.UTF_8));
    }

    static Run appendUntilCrash(Path dir, PowerLossOpener opener, Durability durability, long seed, long segmentBytes)
            throws Exception {
        Run run = new Run();
        Random random = new Random(seed);
        Journal j = Journal.builder(dir).channelOpener(opener).durability(durability).segmentBytes(segmentBytes)
                .open();
        int i = 0;
        while (!opener.crashed() && i < 1_000_000) {
            List<CompletableFuture<?>> burst = new ArrayList<>();
            int n = 1 + random.nextInt(40);
            for (int k = 0; k < n; k++, i++) {
                String p = "r" + seed + "-" + i;
                if (random.nextInt(5) == 0) {
                    List<String> names = List.of(p + "-b0", p + "-b1", p + "-b2");
                    run.issued.addAll(names);
                    for (String name : names) {
                        run.batches.put(name, names);
                    }
                    burst.add(j.appendAll(names.stream().map(JournalPowerLossTest::rec).toList()).toCompletableFuture()
                            .thenAccept(ps -> {
                                for (int x = 0; x < ps.size(); x++) {
                                    run.acked.put(ps.get(x), names.get(x));
                                }
                            }));
                } else {
                    run.issued.add(p);
                    burst.add(j.append(rec(p)).toCompletableFuture().thenAccept(pos -> run.acked.put(pos, p)));
                }
            }
            for (CompletableFuture<?> f : burst) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    assertThat(expected.getCause()).isInstanceOf(StoreException.class);
                }
            }
        }
        assertThat(opener.crashed()).isTrue();
        j.close();
        return run;
    }

    /** Checks the journal after the crash; returns the acknowledged positions that are missing. */
    static List<Long> verify(Path dir, Run run) {
        List<Long> missing = new ArrayList<>();
        try (Journal j = Journal.builder(dir).segmentBytes(4096).open()) {
            assertThat(j.recoveryReport().quarantined()).isEmpty();
            Map<Long, String> seen = new HashMap<>();
            Set<String> present = new HashSet<>();
            j.replay(1, r -> {
                String p = new String(r.payload(), StandardCharsets.UTF_8);
                assertThat(run.issued).as("only issued records come back").contains(p);
                seen.put(r.position(), p);
                present.add(p);
            });
            for (Map.Entry<Long, String> e : run.acked.entrySet()) {
                if (!e.getValue().equals(seen.get(e.getKey()))) {
                    missing.add(e.getKey());
                }
            }
            for (String p : present) {
                List<String> batch = run.batches.get(p);
                if (batch != null) {
                    assertThat(present).as("batch atomic").containsAll(batch);
                }
            }
            // it keeps working after recovery
            long pos = j.append(rec("after")).toCompletableFuture().join();
            assertThat(pos).isEqualTo(j.nextPosition() - 1);
        }
        return missing;
    }

    /**
     * One trial a seed: the kept corpus ({@code fuzz/JournalPowerLossTest.seeds}, the 60 trials this test always
     * ran), then fresh trials. The seed picks the crash point, the tear and the appends.
     */
    @Test
    void everyAcknowledgedRecordSurvivesAPowerLossAtAnyCrashPoint() throws Exception {
        int acknowledged = 0;
        for (FuzzSeeds.Seed seed : FuzzSeeds.of(JournalPowerLossTest.class, 10)) {
            long trial = seed.value();
            int[] acked = {0};
            seed.check(() -> {
                Random r = new Random(trial);
                PowerLossOpener.Tear tear = Math.floorMod(trial, 3) == 0 ? PowerLossOpener.Tear.DROP_ALL
                        : PowerLossOpener.Tear.RANDOM;
                PowerLossOpener opener = new PowerLossOpener(trial, 3 + r.nextInt(80), tear);
                Path dir = tmp.resolve("trial-" + trial);
                Run run = appendUntilCrash(dir, opener, Durability.FORCED, trial, 4096);
                acked[0] = run.acked.size();
                assertThat(verify(dir, run)).as("trial %d: acknowledged but lost", trial).isEmpty();
            });
            acknowledged += acked[0];
        }
        assertThat(acknowledged).as("the trials acknowledged something").isGreaterThan(100);
    }

    @Test
    void osBufferedDurabilityLosesAcknowledgedRecordsOnPowerLossAsDocumented() throws Exception {
        PowerLossOpener opener = new PowerLossOpener(7, 12, PowerLossOpener.Tear.DROP_ALL);
        Path dir = tmp.resolve("buffered");
        Run run = appendUntilCrash(dir, opener, Durability.OS_BUFFERED, 7, 1 << 20);
        // one header write and force at creation, then ten groups written and acknowledged without a force
        assertThat(run.acked).isNotEmpty();
        assertThat(verify(dir, run)).as("acknowledged, never forced, lost").isNotEmpty();
    }
}
