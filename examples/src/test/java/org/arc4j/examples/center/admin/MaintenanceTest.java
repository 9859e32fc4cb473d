package org.arc4j.examples.center.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily backup (GA 1383 数据维护: alarm data backed up every day) on a manual scheduler: one backup per day
 * that passes, none before, each holding every record durable when it was taken.
 */
class MaintenanceTest {
    @TempDir
    Path dir;

    private static void await(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static long append(Journal j, String subject) throws Exception {
        return j.append(new NewRecord(RecordType.CONFIG_CHANGE, 1, Instant.now(), subject,
                "{}".getBytes(StandardCharsets.UTF_8))).toCompletableFuture().get();
    }

    @Test
    void aBackupIsTakenOncePerDayWithWhatWasDurableThen() throws Exception {
        ManualScheduler days = new ManualScheduler(Instant.parse("2026-03-01T00:00:00Z"));
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            append(journal, "test/one");
            Maintenance m = new Maintenance(journal, dir.resolve("backups"), days.clock());
            AutoCloseable daily = m.every(days, Duration.ofDays(1));
            try {
                days.advance(Duration.ofHours(23));
                // the backup of a due day runs on its own thread: a backup taken by hand after it orders them
                m.backup("marker");
                assertThat(m.manifests()).extracting(BackupManifest::reason).containsExactly("marker");
                days.advance(Duration.ofHours(1));
                await(() -> m.manifests().size() == 2, "the first daily backup");
                long second = append(journal, "test/two");
                days.advance(Duration.ofDays(1));
                await(() -> m.manifests().size() == 3, "the second daily backup");
                List<BackupManifest> all = m.manifests();
                assertThat(all).extracting(BackupManifest::reason).containsExactly("marker", "daily", "daily");
                // named by the centre's clock: one a day, at the day's turn
                assertThat(m.backups()).extracting(e -> e.getKey().getFileName().toString()).containsExactly(
                        "20260301T230000.000Z-marker", "20260302T000000.000Z-daily", "20260303T000000.000Z-daily");
                assertThat(all.get(1).nextPosition()).isLessThanOrEqualTo(second);
                assertThat(all.get(2).nextPosition()).isGreaterThan(second);
                days.advance(Duration.ofHours(12));
                Thread.sleep(200);
                assertThat(m.manifests()).hasSize(3);
            } finally {
                daily.close();
            }
            days.advance(Duration.ofDays(2));
            Thread.sleep(200);
            assertThat(m.manifests()).as("stopped").hasSize(3);
        }
    }
}
