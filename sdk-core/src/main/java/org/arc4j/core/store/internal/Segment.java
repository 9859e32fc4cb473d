package org.arc4j.core.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.arc4j.core.store.StoredRecord;

/**
 * One segment file of the journal and the positions of its readable records (where each frame starts and how
 * long it is), kept in memory. Lookups and additions are synchronized on the segment; reads use positional
 * I/O, so they run beside the writer.
 */
public final class Segment {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Segment.class);
    private final Path path;
    private final long base;
    private final FileChannel channel;
    private long[] positions = new long[64];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    /** Each record's type code ({@link Frames#code}), 0 when not known: typed replays skip without reading. */
    private byte[] types = new byte[64];
    private int count;
    private volatile long size;
    private volatile long sealedBefore;
    /** Set while the record table is still on disk ({@link FrameTable}), loaded on first use. */
    private Path lazyTable;
    private FrameTable.Header lazyHeader;
    /** Whether its position index is saved (or need not be). */
    private volatile boolean tableSaved;

    /**
     * @param path    the file
     * @param base    the first position it may hold (from its name)
     * @param channel the open channel
     * @param size    the bytes that belong to it (durable end)
     */
    public Segment(Path path, long base, FileChannel channel, long size) {
        this.path = path;
        this.base = base;
        this.channel = channel;
        this.size = size;
    }

    /** @return the file name for a segment starting at {@code base} */
    public static String name(long base) {
        return String.format("%020d.seg", base);
    }

    /** @return the file */
    public Path path() {
        return path;
    }

    /** @return the file name */
    public String fileName() {
        return path.getFileName().toString();
    }

    /** @return the first position it may hold */
    public long base() {
        return base;
    }

    /** @return the channel */
    public FileChannel channel() {
        return channel;
    }

    /** @return the bytes that belong to it */
    public long size() {
        return size;
    }

    /**
     * @return 0 while the segment takes appends; once sealed, the first position after it (its records are all
     *         durable once the journal's durable end reaches it)
     */
    public long sealedBefore() {
        return sealedBefore;
    }

    /** @param next the first position after the segment, when the writer moves on to a new one */
    public void sealedBefore(long next) {
        this.sealedBefore = next;
    }

    /** @param s the new size, after a durable write */
    public void size(long s) {
        this.size = s;
    }

    /**
     * Registers a readable record.
     *
     * @param position its position (greater than every one before)
     * @param offset   where its frame starts
     * @param length   its frame length
     */
    public void add(long position, long offset, int length) {
        add(position, offset, length, 0);
    }

    /**
     * Registers a readable record whose type is known.
     *
     * @param position its position (greater than every one before)
     * @param offset   where its frame starts
     * @param length   its frame length
     * @param typeCode its type's {@link Frames#code}, or 0 when not known
     */
    public synchronized void add(long position, long offset, int length, int typeCode) {
        load();
        if (count == positions.length) {
            int n = count * 2;
            positions = Arrays.copyOf(positions, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            types = Arrays.copyOf(types, n);
        }
        positions[count] = position;
        offsets[count] = (int) offset;
        lengths[count] = length;
        types[count] = (byte) typeCode;
        count++;
    }

    /**
     * The first readable position at or after {@code p} of a record whose type is wanted (or not known).
     *
     * @param p     the position
     * @param wanted bit {@code 1 << code} set for each wanted type code
     * @return the position, or -1 if there is none in this segment
     */
    public synchronized long ceiling(long p, int wanted) {
        load();
        int i = Arrays.binarySearch(positions, 0, count, p);
        if (i < 0) {
            i = -i - 1;
        }
        while (i < count && types[i] != 0 && (wanted & (1 << types[i])) == 0) {
            i++;
        }
        return i < count ? positions[i] : -1;
    }

    /** @return the number of readable records */
    public synchronized int count() {
        if (lazyTable != null) {
            return lazyHeader.count();
        }
        return count;
    }

    /** @return the last readable position, or {@code base - 1} if none */
    public synchronized long lastPosition() {
        if (lazyTable != null) {
            return lazyHeader.lastPosition();
        }
        return count == 0 ? base - 1 : positions[count - 1];
    }

    /**
     * The first readable position at or after {@code p}.
     *
     * @param p the position
     * @return the position, or -1 if there is none in this segment
     */
    public synchronized long ceiling(long p) {
        load();
        int i = Arrays.binarySearch(positions, 0, count, p);
        if (i < 0) {
            i = -i - 1;
        }
        return i < count ? positions[i] : -1;
    }

    /**
     * Where a record's frame is.
     *
     * @param p its position
     * @return {offset, length}, or null if the segment holds no readable record there
     */
    public synchronized long[] locate(long p) {
        load();
        int i = Arrays.binarySearch(positions, 0, count, p);
        return i < 0 ? null : new long[] {offsets[i], lengths[i]};
    }

    /**
     * Every readable record as {offset, length, position}, in order.
     *
     * @return a snapshot
     */
    public synchronized long[][] entries() {
        load();
        long[][] e = new long[count][];
        for (int i = 0; i < count; i++) {
            e[i] = new long[] {offsets[i], lengths[i], positions[i], types[i]};
        }
        return e;
    }

    /**
     * Defers the record table to its saved {@link FrameTable}: opening the journal reads only its header, the rest
     * when the segment is first read.
     *
     * @param table  the table's file
     * @param header its header, checked against the segment
     */
    synchronized void deferTo(Path table, FrameTable.Header header) {
        this.lazyTable = table;
        this.lazyHeader = header;
        this.tableSaved = true;
    }

    /** @return whether its position index is saved */
    boolean tableSaved() {
        return tableSaved;
    }

    /** Marks its position index saved. */
    void tableSaved(boolean saved) {
        this.tableSaved = saved;
    }

    /** Loads a deferred table; a torn or changed one is replaced by a scan of the segment itself. */
    private void load() {
        if (lazyTable == null) {
            return;
        }
        Path table = lazyTable;
        lazyTable = null;
        java.util.Optional<FrameTable.Table> t = FrameTable.load(table, lazyHeader);
        if (t.isPresent()) {
            positions = t.get().positions();
            offsets = t.get().offsets();
            lengths = t.get().lengths();
            types = t.get().types();
            count = lazyHeader.count();
            return;
        }
        LOG.warn("journal segment {}: its saved position index {} is torn or stale; scanning the segment", path,
                table);
        tableSaved = false;
        try {
            byte[] data = Files.readAllBytes(path);
            SegmentScan scan = SegmentScan.scan(data, data.length, base - 1, false);
            for (long[] f : scan.frames) {
                if (f[2] > lazyHeader.lastPosition()) {
                    break;
                }
                add(f[2], f[0], (int) f[1], data[(int) f[0] + Frames.TYPE_OFFSET]);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("scanning " + path, e);
        }
    }

    /**
     * Reads a record, checking its CRC32C again: bytes that rotted on disk since the journal opened are never
     * returned as data (the record is logged and skipped; the next open quarantines it).
     *
     * @param p its position
     * @return the record, or null if the segment holds no readable record there
     * @throws IOException if reading fails
     */
    public StoredRecord read(long p) throws IOException {
        long[] at = locate(p);
        if (at == null) {
            return null;
        }
        byte[] frame = readFrame(at[0], (int) at[1]);
        if (Frames.validFrame(frame, 0, frame.length) != frame.length || Frames.position(frame, 0) != p) {
            LOG.error("journal segment {}: record {} at offset {} fails its CRC32C on read; skipped (it will be "
                    + "quarantined when the journal is opened again)", path, p, at[0]);
            return null;
        }
        return Frames.decode(frame, 0);
    }

    /**
     * Reads a frame's raw bytes.
     *
     * @param offset where it starts
     * @param length its length
     * @return the bytes
     * @throws IOException if reading fails or the file is shorter
     */
    public byte[] readFrame(long offset, int length) throws IOException {
        byte[] data = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(data);
        long at = offset;
        while (b.hasRemaining()) {
            int n = channel.read(b, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + path + " at " + at);
            }
            at += n;
        }
        return data;
    }

    /** Closes the channel, ignoring errors (the segment is being dropped or the journal closed). */
    public void closeQuietly() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with a channel being dropped
        }
    }
}
