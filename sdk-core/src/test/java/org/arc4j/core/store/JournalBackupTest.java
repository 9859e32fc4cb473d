package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online backup while appending, restore verified by checksum, the daily schedule. */
class JournalBackupTest {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    @TempDir
    Path tmp;

    static NewRecord rec(String p) {
        return new NewRecord(RecordType.EVENT, 1, T0, "acct", p.getBytes(StandardCharsets.UTF_8));
    }

    static Map<Long, String> all(RecordStore s) {
        Map<Long, String> m = new TreeMap<>();
        s.replay(1, r -> m.put(r.position(), new String(r.payload(), StandardCharsets.UTF_8)));
        return m;
    }

    @Test
    void anOnlineBackupRestoresEverythingDurableWhenItStarted() throws Exception {
        Path dir = tmp.resolve("journal");
        Path backup = tmp.resolve("backup");
        Path restored = tmp.resolve("restored");
        try (Journal j = Journal.builder(dir).segmentBytes(8192).open()) {
            for (int i = 0; i < 500; i++) {
                j.append(rec("before-" + i)).toCompletableFuture().join();
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Long>> during = new ArrayList<>();
            Thread appender = new Thread(() -> {
                for (int i = 0; !stop.get() && i < 100_000; i++) {
                    during.add(j.append(rec("during-" + i)).toCompletableFuture());
                    if (i % 64 == 0) {
                        during.get(during.size() - 1).join();
                    }
                }
            });
            long startedAt = j.nextPosition();
            appender.start();
            BackupManifest m = j.backup(backup, "test");
            stop.set(true);
            appender.join();
            CompletableFuture.allOf(during.toArray(new CompletableFuture<?>[0])).join();
            assertThat(m.nextPosition()).isGreaterThanOrEqualTo(startedAt);
            assertThat(m.files()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(j.verify(backup)).isEqualTo(m);

            Journal.restore(backup, restored);
            Map<Long, String> original = all(j);
            try (Journal r = Journal.open(restored)) {
                Map<Long, String> copy = all(r);
                assertThat(r.recoveryReport().clean()).isTrue();
                assertThat(r.recoveryReport().index()).isEqualTo(RecoveryReport.IndexState.REBUILT);
                for (long p = 1; p < m.nextPosition(); p++) {
                    assertThat(copy.get(p)).as("position %d", p).isEqualTo(original.get(p));
                }
                copy.forEach((p, v) -> assertThat(original.get(p)).isEqualTo(v));
                assertThat(r.events(EventQuery.all())).hasSize(copy.size());
            }
        }
    }

    @Test
    void aCorruptBackupIsRefusedAndNothingIsRestored() throws Exception {
        Path dir = tmp.resolve("journal");
        Path backup = tmp.resolve("backup");
        try (Journal j = Journal.open(dir)) {
            for (int i = 0; i < 50; i++) {
                j.append(rec("r-" + i)).toCompletableFuture().join();
            }
            j.backup(backup, "test");
        }
        Path seg;
        try (Stream<Path> s = Files.list(backup)) {
            seg = s.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(seg);
        for (int at : new int[] {0, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 1;
            Files.write(seg, bad);
            Path target = tmp.resolve("restore-" + at);
            assertThatThrownBy(() -> Journal.restore(backup, target)).isInstanceOf(StoreException.BackupCorrupt.class)
                    .hasMessageContaining(seg.getFileName().toString());
            assertThat(target).satisfiesAnyOf(t -> assertThat(t).doesNotExist(), t -> assertThat(t).isEmptyDirectory());
        }
        Files.write(seg, good);
        // a restore that died half way is never opened as a journal
        Path half = tmp.resolve("half");
        Journal.restore(backup, half);
        Files.writeString(half.resolve("RESTORING"), "crashed");
        assertThatThrownBy(() -> Journal.open(half)).isInstanceOf(java.io.UncheckedIOException.class)
                .hasRootCauseMessage("journal " + half + " is an unfinished restore (RESTORING present); restore it"
                        + " again into an empty directory");
        Path manifest = backup.resolve("MANIFEST");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("reason test", "reason tampered"));
        assertThatThrownBy(() -> Journal.restore(backup, tmp.resolve("restore-m")))
                .isInstanceOf(StoreException.BackupCorrupt.class).hasMessageContaining("MANIFEST");
        Files.writeString(manifest, text);
        Files.delete(seg);
        assertThatThrownBy(() -> Journal.restore(backup, tmp.resolve("restore-gone")))
                .isInstanceOf(StoreException.BackupCorrupt.class);
    }

    @Test
    void theSchedulerTakesADailyBackupAndOnDemandBackupsGoBesideIt() throws Exception {
        ManualScheduler scheduler = new ManualScheduler(T0);
        Path root = tmp.resolve("backups");
        try (Journal j = Journal.builder(tmp.resolve("journal")).scheduler(scheduler).maintenanceExecutor(Runnable::run)
                .backupTo(root, Duration.ofDays(1)).open()) {
            j.append(rec("a")).toCompletableFuture().join();
            scheduler.advance(Duration.ofHours(23));
            assertThat(root).satisfiesAnyOf(r -> assertThat(r).doesNotExist(), r -> assertThat(r).isEmptyDirectory());
            scheduler.advance(Duration.ofHours(1));
            j.append(rec("b")).toCompletableFuture().join();
            BackupManifest before = j.backupNow("before config change");
            scheduler.advance(Duration.ofDays(1));
            List<Path> dirs;
            try (Stream<Path> s = Files.list(root)) {
                dirs = s.sorted().toList();
            }
            assertThat(dirs).hasSize(3);
            assertThat(dirs).extracting(d -> d.getFileName().toString()).containsExactly(
                    "20261125T000000.000Z-before-config-change", "20261125T000000.000Z-daily",
                    "20261126T000000.000Z-daily");
            assertThat(j.verify(dirs.get(1)).nextPosition()).isEqualTo(2);
            assertThat(j.verify(dirs.get(0))).isEqualTo(before);
            assertThat(before.nextPosition()).isEqualTo(3);
            assertThat(j.verify(dirs.get(2)).reason()).isEqualTo("daily");
        }
    }
}
