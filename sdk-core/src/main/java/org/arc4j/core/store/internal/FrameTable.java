package org.arc4j.core.store.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The position index of a sealed segment, saved beside the log as {@code index/<base>.frames}: where each record's
 * frame starts, how long it is and its type, so that opening the journal need not read and check every byte of
 * every segment. Format 1, big-endian: {@code int magic 'ARCF', int format, long base, long segment size,
 * int count, long last position}, then per record {@code long position, int offset, int length, byte type}, then
 * a CRC32C of everything before. A sealed segment never changes (compaction writes a new file under the same
 * name, with another size or content, which the checks on open and on load notice), so the table stays true.
 * Stateless and thread-safe.
 */
final class FrameTable {
    private static final int MAGIC = 0x41524346; // 'ARCF'
    private static final int FORMAT = 1;
    /** Header bytes: magic, format, base, size, count, last position. */
    static final int HEADER = 4 + 4 + 8 + 8 + 4 + 8;

    /** A table's header. */
    record Header(long base, long size, int count, long lastPosition) {
    }

    /** A table loaded whole. */
    record Table(long[] positions, int[] offsets, int[] lengths, byte[] types) {
    }

    private FrameTable() {
    }

    /** @return the table's file for a segment of the journal in {@code dir} */
    static Path file(Path dir, long base) {
        return dir.resolve("index").resolve(String.format("%020d.frames", base));
    }

    /**
     * Saves a sealed segment's table (temporary file, then an atomic rename; a torn one fails its CRC).
     *
     * @param file the table's file
     * @param s    the segment, sealed and all of it durable
     * @throws IOException if writing fails
     */
    static void save(Path file, Segment s) throws IOException {
        long[][] e = s.entries();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + e.length * 17 + 4);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeLong(s.base());
        out.writeLong(s.size());
        out.writeInt(e.length);
        out.writeLong(e.length == 0 ? s.base() - 1 : e[e.length - 1][2]);
        for (long[] f : e) {
            out.writeLong(f[2]);
            out.writeInt((int) f[0]);
            out.writeInt((int) f[1]);
            out.writeByte((int) f[3]);
        }
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Reads a table's header only (what opening needs), without checking the CRC (loading does).
     *
     * @param file the table's file
     * @return the header, or empty when missing, short or of another format
     */
    static Optional<Header> header(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(HEADER);
            if (h.length < HEADER) {
                return Optional.empty();
            }
            DataInputStream d = new DataInputStream(new ByteArrayInputStream(h));
            if (d.readInt() != MAGIC || d.readInt() != FORMAT) {
                return Optional.empty();
            }
            Header header = new Header(d.readLong(), d.readLong(), d.readInt(), d.readLong());
            if (Files.size(file) != HEADER + header.count() * 17L + 4) {
                return Optional.empty();
            }
            return Optional.of(header);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Loads a whole table, checking its CRC and that it is the one of this header.
     *
     * @param file   the table's file
     * @param expect the header read on open
     * @return the table, or empty when torn or changed
     */
    static Optional<Table> load(Path file, Header expect) {
        try {
            byte[] data = Files.readAllBytes(file);
            if (data.length != HEADER + expect.count() * 17L + 4) {
                return Optional.empty();
            }
            DataInputStream d = Frames.checkedBody(data);
            if (d == null) {
                return Optional.empty();
            }
            if (d.readInt() != MAGIC || d.readInt() != FORMAT || d.readLong() != expect.base()
                    || d.readLong() != expect.size() || d.readInt() != expect.count()
                    || d.readLong() != expect.lastPosition()) {
                return Optional.empty();
            }
            int n = expect.count();
            long[] positions = new long[Math.max(n, 1)];
            int[] offsets = new int[Math.max(n, 1)];
            int[] lengths = new int[Math.max(n, 1)];
            byte[] types = new byte[Math.max(n, 1)];
            for (int i = 0; i < n; i++) {
                positions[i] = d.readLong();
                offsets[i] = d.readInt();
                lengths[i] = d.readInt();
                types[i] = d.readByte();
            }
            return Optional.of(new Table(positions, offsets, lengths, types));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
