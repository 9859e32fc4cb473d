package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.core.store.CompactionReport;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.core.store.StoredRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: rewrites the sealed, fully durable segments of a {@link SegmentLog} without the records that are
 * past their retention (a temporary file, forced, renamed over the segment), deletes segments left empty and tells
 * the {@link IndexKeeper}. Police cases, the newest configuration and checkpoint of each subject and records of a
 * case still in retention are kept (see {@link RetentionPolicy}).
 *
 * <p>Threads: one compaction at a time (the journal's maintenance lock); it runs beside the writer, which never
 * touches a sealed segment, and beside readers, who see the old segment until {@link SegmentLog#replace}.
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);

    private final SegmentLog log;
    private final IndexKeeper index;
    private final RetentionPolicy policy;

    /**
     * @param log    the log
     * @param index  its query index, which also tells which case a record belongs to
     * @param policy how long each type of record is kept
     */
    Compactor(SegmentLog log, IndexKeeper index, RetentionPolicy policy) {
        this.log = log;
        this.index = index;
        this.policy = policy;
    }

    /**
     * Compacts once.
     *
     * @param clock tells the time retention is measured at, once the index has caught up
     * @return what was removed
     * @throws UncheckedIOException if a file operation fails (nothing kept is lost then)
     */
    CompactionReport compact(Clock clock) {
        Path dir = log.directory();
        try {
            index.catchUpIndex();
            Instant now = clock.instant();
            int rewritten = 0;
            int deleted = 0;
            long removed = 0;
            long kept = 0;
            long freed = 0;
            segmentLoop:
            for (Segment s : log.sealedDurable()) {
                List<StoredRecord> keep = new ArrayList<>();
                List<Boolean> continues = new ArrayList<>();
                List<StoredRecord> drop = new ArrayList<>();
                for (long[] e : s.entries()) {
                    byte[] frame = s.readFrame(e[0], (int) e[1]);
                    if (Frames.validFrame(frame, 0, frame.length) != frame.length) {
                        // rotted since open: leave the whole segment alone for the next open to quarantine
                        LOG.error("journal {}: record {} of {} fails its CRC32C; segment not compacted", dir, e[2],
                                s.fileName());
                        continue segmentLoop;
                    }
                    StoredRecord r = Frames.decode(frame, 0);
                    if (keeps(r, now)) {
                        keep.add(r);
                        continues.add(Frames.continues(frame, 0));
                    } else {
                        drop.add(r);
                    }
                }
                kept += keep.size();
                if (drop.isEmpty()) {
                    continue;
                }
                long before = s.size();
                if (keep.isEmpty()) {
                    log.remove(s);
                    Files.delete(s.path());
                    SegmentLog.forceDirectory(dir);
                    deleted++;
                    freed += before;
                } else {
                    Segment replacement = rewrite(s, keep, continues);
                    log.replace(s, replacement);
                    rewritten++;
                    freed += before - replacement.size();
                }
                removed += drop.size();
                // at once, so that the later segments' decisions see this one's records gone
                index.removed(drop);
            }
            if (removed > 0) {
                index.save();
            }
            return new CompactionReport(now, rewritten, deleted, removed, kept, freed);
        } catch (IOException e) {
            throw new UncheckedIOException("compaction of " + dir + " failed; nothing kept was lost", e);
        }
    }

    /** Whether a record is still inside its retention at {@code now}. */
    private boolean keeps(StoredRecord r, Instant now) {
        TieredIndex q = index.index();
        Instant from = r.at();
        Optional<StoredCaseState> c = q.caseOf(r.type(), r.subject(), r.position());
        if (c.isPresent()) {
            if (c.get().police()) {
                return true;
            }
            if (c.get().lastAt().isAfter(from)) {
                from = c.get().lastAt();
            }
        }
        if ((r.type() == RecordType.CONFIG_CHANGE || r.type() == RecordType.CHECKPOINT)
                && q.newestOfSubject(r.type(), r.subject(), r.position())) {
            return true;
        }
        Optional<Duration> d = policy.retention(r.type());
        return d.isEmpty() || !from.plus(d.get()).isBefore(now);
    }

    /**
     * Writes the kept records of a sealed segment to a temporary file, forces it and renames it over the
     * segment: a crash leaves either the old file (and a temporary one that recovery deletes) or the new one.
     */
    private Segment rewrite(Segment old, List<StoredRecord> keep, List<Boolean> continues) throws IOException {
        Path tmp = log.directory().resolve(old.fileName() + ".tmp");
        int size = Frames.HEADER;
        NewRecord[] records = new NewRecord[keep.size()];
        Frames.Body[] bodies = new Frames.Body[keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            StoredRecord r = keep.get(i);
            records[i] = new NewRecord(r.type(), Math.max(1, r.version()), r.at(), r.subject(), r.payload());
            bodies[i] = Frames.body(records[i], r.subject().getBytes(StandardCharsets.UTF_8));
            size += Frames.frameSize(bodies[i]);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(Frames.header(old.base()));
        long[][] placed = new long[keep.size()][];
        boolean first = true;
        for (int i = 0; i < keep.size(); i++) {
            StoredRecord r = keep.get(i);
            // what is left of a batch whose other records expired is a whole batch of its own
            boolean more = continues.get(i) && i + 1 < keep.size() && keep.get(i + 1).position() == r.position() + 1;
            int at = b.position();
            Frames.encode(b, records[i], bodies[i], r.position(), first, more);
            first = !more;
            placed[i] = new long[] {r.position(), at, b.position() - at};
        }
        b.flip();
        try (FileChannel ch = log.opener().open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long at = 0;
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, old.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SegmentLog.forceDirectory(log.directory());
        Segment s = new Segment(old.path(), old.base(), log.opener().open(old.path(), StandardOpenOption.READ), size);
        s.sealedBefore(old.sealedBefore());
        for (long[] p : placed) {
            s.add(p[0], p[1], (int) p[2]);
        }
        return s;
    }
}
