package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.arc4j.core.store.RecoveryReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a journal directory: deletes temporary files of an interrupted compaction or restore, removes a last
 * segment whose header was torn while it was created, scans every segment ({@link SegmentScan}), cuts a torn tail
 * of the last one, copies corrupt regions in the middle to {@code quarantine/} and fills a {@link SegmentLog} with
 * what is readable. Runs once, on the opening thread, before any other journal thread starts. Refuses a directory
 * that an unfinished restore left ({@link Backups#RESTORING}).
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);

    private final Path dir;
    private final SegmentLog log;
    private final List<RecoveryReport.TailCut> cuts = new ArrayList<>();
    private final List<RecoveryReport.Quarantined> quarantined = new ArrayList<>();
    private final List<String> temporaries = new ArrayList<>();

    private Recovery(SegmentLog log) {
        this.dir = log.directory();
        this.log = log;
    }

    /**
     * Recovers the directory of an empty log into it and starts it (active segment and durable end set).
     *
     * @param log the log to fill, empty
     * @return what was found and done; its index state is {@code REBUILT} (the query index is not recovery's)
     * @throws IOException if the directory cannot be read or repaired, or is an unfinished restore
     */
    static RecoveryReport recover(SegmentLog log) throws IOException {
        return new Recovery(log).run();
    }

    private RecoveryReport run() throws IOException {
        if (Files.exists(dir.resolve(Backups.RESTORING))) {
            throw new IOException("journal " + dir + " is an unfinished restore (" + Backups.RESTORING
                    + " present); restore it again into an empty directory");
        }
        List<Long> bases = listSegments();
        dropTornCreation(bases);
        long last = 0;
        long records = 0;
        Segment writableTail = null;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean isLast = i == bases.size() - 1;
            Path p = dir.resolve(Segment.name(base));
            long fileSize = Files.size(p);
            if (fileSize > Integer.MAX_VALUE) {
                throw new IOException("segment too large: " + p);
            }
            if (!isLast) {
                Segment indexed = indexed(p, base, fileSize, last);
                if (indexed != null) {
                    // sealed, and its position index saved: only the index's header is read now
                    records += indexed.count();
                    last = indexed.lastPosition();
                    log.adopt(indexed);
                    continue;
                }
            }
            byte[] data = Files.readAllBytes(p);
            int len = data.length;
            if (!Frames.validHeader(data, len, base)) {
                quarantined.add(quarantine(p, data, 0, len, last + 1, base - 1));
                log.adopt(new Segment(p, base, log.opener().open(p, StandardOpenOption.READ), len));
                continue;
            }
            SegmentScan scan = SegmentScan.scan(data, len, last, isLast);
            for (SegmentScan.Region r : scan.corrupt) {
                quarantined.add(quarantine(p, data, r.offset(), r.length(), r.lastGoodPosition() + 1,
                        r.nextGoodPosition() - 1));
            }
            FileChannel ch = isLast
                    ? log.opener().open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : log.opener().open(p, StandardOpenOption.READ);
            if (isLast && scan.validEnd < len) {
                ch.truncate(scan.validEnd);
                ch.force(true);
                cuts.add(new RecoveryReport.TailCut(p.getFileName().toString(), scan.validEnd, len - scan.validEnd));
                LOG.warn("journal {}: cut a torn tail of {} bytes at offset {} of {}", dir, len - scan.validEnd,
                        scan.validEnd, p.getFileName());
            }
            Segment s = new Segment(p, base, ch, scan.validEnd);
            // a sealed segment with damage keeps being scanned (and its damage reported) on every open
            s.tableSaved(!scan.corrupt.isEmpty());
            for (long[] f : scan.frames) {
                s.add(f[2], f[0], (int) f[1], data[(int) f[0] + Frames.TYPE_OFFSET]);
            }
            records += scan.frames.size();
            last = scan.lastPosition;
            log.adopt(s);
            if (isLast) {
                writableTail = s;
            }
        }
        long next = last + 1;
        List<Segment> found = log.segments();
        Segment active;
        if (found.isEmpty()) {
            active = log.createSegment(1);
        } else {
            Segment tail = found.get(found.size() - 1);
            if (tail == writableTail) {
                next = Math.max(next, tail.base());
                active = tail;
            } else {
                // the last file was quarantined whole: appends go to a fresh segment after it
                next = Math.max(next, tail.base() + 1);
                active = log.createSegment(next);
            }
        }
        for (Segment seg : log.segments()) {
            if (seg != active) {
                seg.sealedBefore(1);
            }
        }
        log.start(active, next);
        return new RecoveryReport(log.segments().size(), records, cuts, quarantined, temporaries,
                RecoveryReport.IndexState.REBUILT);
    }

    /**
     * A sealed segment opened from its saved position index ({@link FrameTable}) instead of a scan, when the
     * index is of this segment as it is now (same base and size, positions after the segments before) and the
     * segment's header is intact; else null.
     */
    private Segment indexed(Path p, long base, long fileSize, long last) throws IOException {
        java.util.Optional<FrameTable.Header> h = FrameTable.header(FrameTable.file(dir, base));
        if (h.isEmpty() || h.get().base() != base || h.get().size() != fileSize || h.get().count() < 1
                || h.get().lastPosition() <= last) {
            return null;
        }
        byte[] head = new byte[Frames.HEADER];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (!Frames.validHeader(head, n, base)) {
            return null;
        }
        Segment s = new Segment(p, base, log.opener().open(p, StandardOpenOption.READ), fileSize);
        s.deferTo(FrameTable.file(dir, base), h.get());
        return s;
    }

    /** Deletes temporary files and returns the bases of the segment files, ascending. */
    private List<Long> listSegments() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(files::add);
        }
        List<Long> bases = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            if (n.endsWith(".tmp")) {
                Files.delete(f);
                temporaries.add(n);
            } else if (n.matches("\\d{20}\\.seg")) {
                bases.add(Long.parseLong(n.substring(0, 20)));
            }
        }
        bases.sort(null);
        return bases;
    }

    /** Removes the last segment if its header is torn: the crash interrupted its creation. */
    private void dropTornCreation(List<Long> bases) throws IOException {
        if (bases.isEmpty()) {
            return;
        }
        long base = bases.get(bases.size() - 1);
        Path p = dir.resolve(Segment.name(base));
        byte[] head = new byte[Frames.HEADER];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (!Frames.validHeader(head, n, base)) {
            // nothing in a segment whose creation was torn was ever acknowledged
            long size = Files.size(p);
            Files.delete(p);
            SegmentLog.forceDirectory(dir);
            bases.remove(bases.size() - 1);
            cuts.add(new RecoveryReport.TailCut(p.getFileName().toString(), 0, size));
            LOG.warn("journal {}: removed segment {} with a torn header ({} bytes)", dir, p.getFileName(), size);
        }
    }

    private RecoveryReport.Quarantined quarantine(Path segment, byte[] data, int off, int len, long first,
                                                  long lastMissing) throws IOException {
        Path qdir = dir.resolve("quarantine");
        Files.createDirectories(qdir);
        Path copy = qdir.resolve(segment.getFileName() + "@" + off + ".bin");
        if (!Files.exists(copy)) {
            Files.write(copy, Arrays.copyOfRange(data, off, off + len));
        }
        LOG.error("journal {}: corrupt region of {} bytes at offset {} of {} quarantined to {}; positions {}..{} "
                + "may be missing, the records after it stay readable", dir, len, off, segment.getFileName(), copy,
                first, lastMissing);
        return new RecoveryReport.Quarantined(segment.getFileName().toString(), off, len, first, lastMissing, copy);
    }
}
