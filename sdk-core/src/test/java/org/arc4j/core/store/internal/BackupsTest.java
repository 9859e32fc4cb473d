package org.arc4j.core.store.internal;

import static org.arc4j.core.store.internal.LogFixture.T0;
import static org.arc4j.core.store.internal.LogFixture.putAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.store.BackupManifest;
import org.arc4j.core.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Taking, verifying and restoring backups of a segment log, without the journal around it. */
class BackupsTest {
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private SegmentLog written() throws IOException {
        SegmentLog log = LogFixture.open(tmp.resolve("journal"));
        putAll(log, 1, "a", "b");
        LogFixture.rotate(log, 3);
        putAll(log, 3, "c");
        return log;
    }

    @Test
    void aBackupCopiesEverySegmentUpToTheDurableEndAndRestoresToTheSameRecords() throws IOException {
        SegmentLog log = written();
        // written but not published: not in the backup
        LogFixture.put(log, 4, LogFixture.rec("unpublished"));
        BackupManifest m = Backups.take(log, tmp.resolve("backup"), "test", CLOCK);
        log.release();
        assertThat(m.at()).isEqualTo(T0);
        assertThat(m.reason()).isEqualTo("test");
        assertThat(m.nextPosition()).isEqualTo(4);
        assertThat(m.files()).extracting(BackupManifest.FileEntry::name)
                .containsExactly(Segment.name(1), Segment.name(3));
        assertThat(Backups.verify(tmp.resolve("backup"))).isEqualTo(m);

        Path restored = tmp.resolve("restored");
        assertThat(Backups.restore(tmp.resolve("backup"), restored)).isEqualTo(m);
        assertThat(restored.resolve(Backups.RESTORING)).doesNotExist();
        SegmentLog again = LogFixture.open(restored);
        List<String> seen = new ArrayList<>();
        again.replay(1, r -> seen.add(LogFixture.text(r)));
        again.release();
        assertThat(seen).containsExactly("a", "b", "c");
    }

    @Test
    void aBackupGoesOnlyIntoAnEmptyDirectory() throws IOException {
        SegmentLog log = written();
        Files.createDirectories(tmp.resolve("backup"));
        Files.write(tmp.resolve("backup").resolve("x"), new byte[1]);
        try {
            assertThatThrownBy(() -> Backups.take(log, tmp.resolve("backup"), "test", CLOCK))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        } finally {
            log.release();
        }
    }

    @Test
    void aCorruptBackupIsRefusedAndNothingIsLeftInTheTarget() throws IOException {
        SegmentLog log = written();
        Backups.take(log, tmp.resolve("backup"), "test", CLOCK);
        log.release();
        Path seg = tmp.resolve("backup").resolve(Segment.name(1));
        byte[] b = Files.readAllBytes(seg);
        b[b.length - 1] ^= 1;
        Files.write(seg, b);
        assertThatThrownBy(() -> Backups.verify(tmp.resolve("backup")))
                .isInstanceOf(StoreException.BackupCorrupt.class).hasMessageContaining(Segment.name(1));
        Path target = tmp.resolve("restored");
        assertThatThrownBy(() -> Backups.restore(tmp.resolve("backup"), target))
                .isInstanceOf(StoreException.BackupCorrupt.class);
        assertThat(target).doesNotExist();
    }

    @Test
    void restoreRefusesADirectoryThatIsNotEmpty() throws IOException {
        SegmentLog log = written();
        Backups.take(log, tmp.resolve("backup"), "test", CLOCK);
        log.release();
        Path target = tmp.resolve("busy");
        Files.createDirectories(target);
        Files.write(target.resolve("something"), new byte[1]);
        assertThatThrownBy(() -> Backups.restore(tmp.resolve("backup"), target))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        assertThat(target.resolve(Backups.RESTORING)).doesNotExist();
    }

    @Test
    void newTargetsSortByTimeAndNeverReuseADirectory() throws IOException {
        Path root = tmp.resolve("backups");
        Path first = Backups.newTarget(root, T0, "before config/change");
        assertThat(first.getFileName().toString()).isEqualTo("20261124T000000.000Z-before-config-change");
        Files.createDirectories(first);
        assertThat(Backups.newTarget(root, T0, "before config/change").getFileName().toString())
                .isEqualTo("20261124T000000.000Z-before-config-change-1");
    }
}
