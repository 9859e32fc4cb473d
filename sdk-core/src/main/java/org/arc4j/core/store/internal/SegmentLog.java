package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.arc4j.core.testkit.ChannelOpener;
import org.arc4j.core.store.StoreException;
import org.arc4j.core.store.StoredRecord;

/**
 * The journal's segment files as one log: the map of segments by base position, the active segment the writer
 * appends to (write at its end, rotate to a new one) and the durable end up to which readers see records.
 *
 * <p>Threads: the map is guarded by a read-write lock (readers, the subscription dispatcher, compaction and backup
 * read; rotation, compaction's replace and remove, and release write). The active segment and its write end
 * belong to the writer thread alone ({@link #write}, {@link #rotate}); the durable end is volatile, advanced by
 * whichever thread completes a group ({@link #publish}). Segments index their own records (see {@link Segment}).
 */
final class SegmentLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(org.arc4j.core.store.Journal.class);
    private final Path dir;
    private final ChannelOpener opener;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** Writer thread only, after {@link #start}. */
    private Segment active;
    /** Writer thread only: where the next write to the active segment goes. */
    private long activeEnd;
    private volatile long durableNext;
    /** Set once the files are closed: reads then fail with {@link StoreException.Closed}. */
    private volatile boolean released;

    /**
     * @param dir    the journal directory
     * @param opener how segment files are opened
     */
    SegmentLog(Path dir, ChannelOpener opener) {
        this.dir = dir;
        this.opener = opener;
    }

    /** @return the journal directory */
    Path directory() {
        return dir;
    }

    /** @return how files are opened */
    ChannelOpener opener() {
        return opener;
    }

    // ------------------------------------------------------------------ set-up (recovery)

    /** Adds a segment found on disk (recovery, before any other thread runs). */
    void adopt(Segment s) {
        lock.writeLock().lock();
        try {
            segments.put(s.base(), s);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Makes a segment the one appends go to, at its current size, and sets the durable end.
     *
     * @param tail the active segment (already in the log)
     * @param next the first position not yet in the log
     */
    void start(Segment tail, long next) {
        this.active = tail;
        this.activeEnd = tail.size();
        this.durableNext = next;
    }

    /** @return a snapshot of the segments in base order */
    List<Segment> segments() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(segments.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** @return the segment starting at {@code base}, or null */
    Segment segment(long base) {
        lock.readLock().lock();
        try {
            return segments.get(base);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Creates an empty segment (header written and forced, directory forced) and adds it to the log.
     *
     * @param base its first position
     * @return the segment
     * @throws IOException if it cannot be created
     */
    Segment createSegment(long base) throws IOException {
        Path p = dir.resolve(Segment.name(base));
        FileChannel ch = opener.open(p, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer h = Frames.header(base);
        while (h.hasRemaining()) {
            ch.write(h);
        }
        ch.force(true);
        forceDirectory(dir);
        Segment s = new Segment(p, base, ch, Frames.HEADER);
        adopt(s);
        return s;
    }

    // ------------------------------------------------------------------ writer side (writer thread only)

    /** @return the segment appends go to */
    Segment active() {
        return active;
    }

    /** @return where the next write to the active segment goes */
    long activeEnd() {
        return activeEnd;
    }

    /**
     * Writes a flipped buffer at the active segment's write end and clears it.
     *
     * @param buffer the bytes, flipped for reading
     * @throws IOException if writing fails
     */
    void write(ByteBuffer buffer) throws IOException {
        FileChannel ch = active.channel();
        long at = activeEnd;
        while (buffer.hasRemaining()) {
            at += ch.write(buffer, at);
        }
        activeEnd = at;
        buffer.clear();
    }

    /**
     * Seals the active segment and moves on to a new one. The sealed segment is forced first: every segment but the
     * last is then entirely on disk, so recovery cuts torn bytes only at the very end.
     *
     * @param next the first position of the new segment
     * @return the new active segment
     * @throws IOException if forcing or creating fails
     */
    Segment rotate(long next) throws IOException {
        active.channel().force(false);
        active.sealedBefore(next);
        active = createSegment(next);
        activeEnd = Frames.HEADER;
        return active;
    }

    // ------------------------------------------------------------------ durable side

    /** @return the first position readers cannot see yet */
    long durableNext() {
        return durableNext;
    }

    /** @param next the new durable end, once the records before it are durable and registered in their segments */
    void publish(long next) {
        durableNext = next;
    }

    /** @return whether {@link #release} ran */
    boolean released() {
        return released;
    }

    /**
     * Reads one durable record.
     *
     * @param position its position
     * @return the record, or empty if it is not (or no longer) readable
     * @throws StoreException.Closed after {@link #release}
     */
    Optional<StoredRecord> read(long position) {
        if (released) {
            throw new StoreException.Closed();
        }
        if (position < 1 || position >= durableNext) {
            return Optional.empty();
        }
        lock.readLock().lock();
        try {
            Map.Entry<Long, Segment> e = segments.floorEntry(position);
            if (e == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(e.getValue().read(position));
        } catch (IOException e) {
            throw new UncheckedIOException("reading position " + position + " of " + dir, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The readable record with the smallest position in [{@code from}, {@code end}).
     *
     * @return the record, or null
     */
    StoredRecord next(long from, long end) {
        return next(from, end, ~0);
    }

    /**
     * The first readable record at or after {@code from} and before {@code end} whose type is wanted; records of
     * other types are skipped without reading them.
     *
     * @param from   the first position
     * @param end    the position after the last one
     * @param wanted bit {@code 1 << Frames.code(type)} set for each wanted type
     * @return the record, or null
     */
    StoredRecord next(long from, long end, int wanted) {
        lock.readLock().lock();
        try {
            Long key = segments.floorKey(from);
            if (key == null) {
                key = segments.isEmpty() ? null : segments.firstKey();
            }
            long at = from;
            while (key != null && key < end) {
                Segment s = segments.get(key);
                long p = s.ceiling(at, wanted);
                while (p >= 0 && p < end) {
                    StoredRecord r = s.read(p);
                    if (r != null && (wanted & (1 << Frames.code(r.type()))) != 0) {
                        return r;
                    }
                    p = s.ceiling(p + 1, wanted);
                }
                if (p >= end) {
                    return null;
                }
                key = segments.higherKey(key);
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + dir, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Hands every readable durable record from {@code fromPosition} on to {@code sink}, in order.
     *
     * @return the position after the last record handed over (at least the durable end when it started)
     * @throws StoreException.Closed after {@link #release}
     */
    long replay(long fromPosition, Consumer<StoredRecord> sink) {
        return replay(fromPosition, ~0, sink);
    }

    /**
     * Replays the records of the wanted types.
     *
     * @param fromPosition the first position
     * @param wanted       bit {@code 1 << Frames.code(type)} set for each wanted type
     * @param sink         the consumer
     * @return the position after the last record of any type seen
     */
    long replay(long fromPosition, int wanted, Consumer<StoredRecord> sink) {
        if (released) {
            throw new StoreException.Closed();
        }
        long end = durableNext;
        long next = Math.max(1, fromPosition);
        while (next < end) {
            StoredRecord r = next(next, end, wanted);
            if (r == null) {
                break;
            }
            sink.accept(r);
            next = r.position() + 1;
        }
        return Math.max(next, end);
    }

    /** @return every segment as {base, size} in order */
    /** @return whether a sealed segment, all of it durable, has no saved position index yet */
    boolean frameTablesDue() {
        for (Segment s : segments()) {
            if (!s.tableSaved() && s.sealedBefore() > 0 && s.sealedBefore() <= durableNext) {
                return true;
            }
        }
        return false;
    }

    /**
     * Saves the position index ({@link FrameTable}) of each sealed segment, all of it durable, that has none, so
     * that the next open reads only their headers; a failure only costs a scan on that open.
     */
    void saveFrameTables() {
        for (Segment s : segments()) {
            if (!s.tableSaved() && s.sealedBefore() > 0 && s.sealedBefore() <= durableNext) {
                try {
                    FrameTable.save(FrameTable.file(dir, s.base()), s);
                    s.tableSaved(true);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("journal {}: saving the position index of {} failed; the next open scans it", dir,
                            s.fileName(), e);
                    s.tableSaved(true); // not again in this run
                }
            }
        }
    }

    List<long[]> sizes() {
        lock.readLock().lock();
        try {
            List<long[]> out = new ArrayList<>();
            for (Segment s : segments.values()) {
                out.add(new long[] {s.base(), s.size()});
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ compaction

    /**
     * @return the sealed segments whose records are all durable (every one but the last, and only once the durable
     *         end has passed them), in order
     */
    List<Segment> sealedDurable() {
        lock.readLock().lock();
        try {
            List<Segment> sealed = new ArrayList<>();
            for (Segment s : segments.headMap(segments.lastKey()).values()) {
                if (s.sealedBefore() > 0 && s.sealedBefore() <= durableNext) {
                    sealed.add(s);
                }
            }
            return sealed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Drops a segment from the log and closes it (its file is the caller's to delete). */
    void remove(Segment s) {
        lock.writeLock().lock();
        try {
            segments.remove(s.base());
            s.closeQuietly();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Puts a rewritten segment in place of the old one, which is closed. */
    void replace(Segment old, Segment replacement) {
        lock.writeLock().lock();
        try {
            segments.put(old.base(), replacement);
            old.closeQuietly();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ close

    /** Forces the active segment (the last force of an {@code OS_BUFFERED} journal). */
    void forceActive() throws IOException {
        active.channel().force(false);
    }

    /** Closes every segment; reads fail with {@link StoreException.Closed} from now on. Waits for running reads. */
    void release() {
        lock.writeLock().lock();
        try {
            released = true;
            for (Segment s : segments.values()) {
                s.closeQuietly();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes every segment without marking the log released (a failed open). */
    void closeQuietly() {
        for (Segment s : segments()) {
            s.closeQuietly();
        }
    }

    /**
     * Forces a directory, so that the files created, renamed or deleted in it stay so after a crash.
     *
     * @param directory the directory
     * @throws IOException if forcing fails
     */
    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some platforms cannot open a directory; its entries are then made durable by the file system
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                return;
            }
            throw e;
        }
    }
}
