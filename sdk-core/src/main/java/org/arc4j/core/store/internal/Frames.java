package org.arc4j.core.store.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/**
 * The journal's on-disk formats: the segment header and the record frame. All integers are big-endian.
 *
 * <pre>
 * segment header (24 bytes)
 *   int   magic 'ARCJ'     int format (1)     long base position     int crc32c(previous 16 bytes)   int 0
 * record frame (34 bytes + subject + payload)
 *   int   length           bytes of the body (everything after the crc field)
 *   int   crc32c           over the length field and the body
 *   body: byte type code   byte flags (bit 0: more records of the same atomic batch follow;
 *                                      bit 1: first record of an append)
 *         short version    long position     long epoch second     int nano
 *         short subject length   subject (UTF-8)   payload
 * with flag bit 2 ({@link #FLAG_PACKED}) the bytes after the subject length are the subject and the payload
 * together, packed ({@link Packing}), and the subject length is that of the unpacked subject
 * </pre>
 *
 * <p>Appends pack every record that packing makes smaller (since 0.1 of the compact journal; frames without the
 * flag, as every older journal has, are read as before). A journal with packed frames cannot be read by a version
 * that does not know the flag.
 *
 * The type is stored as a fixed code, not the enum ordinal, so that reordering {@link RecordType} never changes
 * the meaning of old files. Stateless and thread-safe.
 */
public final class Frames {
    /** Segment header length in bytes. */
    public static final int HEADER = 24;
    /** Frame bytes before the subject: length, crc and the fixed body fields. */
    public static final int FIXED = 34;
    /** Where a frame's type code is, from the frame's start (after the length and the CRC). */
    public static final int TYPE_OFFSET = 8;

    /** Fixed body bytes (what {@code length} counts besides subject and payload). */
    public static final int FIXED_BODY = FIXED - 8;
    /** The largest body accepted; anything longer is corruption (or refused at append). */
    public static final int MAX_BODY = 16 * 1024 * 1024;
    /** Flag bit: the next record belongs to the same atomic batch. */
    public static final int FLAG_CONTINUES = 1;
    /** Flag bit: the first record of an append (a single record, or the first of an atomic batch). */
    public static final int FLAG_FIRST = 2;
    /** Flag bit: subject and payload are packed ({@link Packing}). */
    public static final int FLAG_PACKED = 4;
    /** Raw subject + payload below this are stored as they are (nothing to gain). */
    private static final int PACK_FROM = 24;

    private static final int MAGIC = 0x4152434A;
    private static final int FORMAT = 1;
    private static final RecordType[] BY_CODE = {
        null, RecordType.EVENT, RecordType.IDEMPOTENCY_KEY, RecordType.CASE_TRANSITION,
        RecordType.OPERATOR_ACTION, RecordType.CONFIG_CHANGE, RecordType.AUDIT, RecordType.SUPERVISION,
        RecordType.CHECKPOINT, RecordType.CLIP
    };

    private Frames() {
    }

    /**
     * The stable on-disk code of a type.
     *
     * @param t the type
     * @return its code, 1..9
     */
    public static int code(RecordType t) {
        switch (t) {
            case EVENT: return 1;
            case IDEMPOTENCY_KEY: return 2;
            case CASE_TRANSITION: return 3;
            case OPERATOR_ACTION: return 4;
            case CONFIG_CHANGE: return 5;
            case AUDIT: return 6;
            case SUPERVISION: return 7;
            case CHECKPOINT: return 8;
            case CLIP: return 9;
            default: throw new IllegalArgumentException("no code for " + t);
        }
    }

    /**
     * The header of a segment starting at {@code base}.
     *
     * @param base the first position the segment may hold
     * @return a 24-byte buffer ready to write
     */
    public static ByteBuffer header(long base) {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.putInt(MAGIC).putInt(FORMAT).putLong(base);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue()).putInt(0);
        return b.flip();
    }

    /**
     * Checks a segment header.
     *
     * @param data the file bytes
     * @param len  how many are valid
     * @param base the base position the file name says
     * @return true if the header is complete, intact and names {@code base}
     */
    public static boolean validHeader(byte[] data, int len, long base) {
        if (len < HEADER) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, HEADER);
        CRC32C crc = new CRC32C();
        crc.update(data, 0, 16);
        return b.getInt(0) == MAGIC && b.getInt(4) == FORMAT && b.getLong(8) == base
                && b.getInt(16) == (int) crc.getValue();
    }

    /**
     * What follows a frame's fixed fields: the subject and the payload as they are, or packed together.
     *
     * @param packed     whether {@code first} is the packed subject and payload
     * @param subjectLen the subject's length in bytes (unpacked)
     * @param first      the subject, or the packed bytes
     * @param second     the payload, or nothing
     */
    public record Body(boolean packed, int subjectLen, byte[] first, byte[] second) {
        /** @return the bytes it takes in the frame */
        public int length() {
            return first.length + second.length;
        }
    }

    private static final byte[] NOTHING = new byte[0];

    /**
     * Prepares what a record's frame carries after its fixed fields, packing subject and payload when that makes
     * them smaller. Runs on the appending thread (about a microsecond for a typical record).
     *
     * @param r       the record
     * @param subject its subject as UTF-8
     * @return the body to encode
     */
    public static Body body(NewRecord r, byte[] subject) {
        int raw = subject.length + r.payload().length;
        if (raw >= PACK_FROM && raw <= Packing.MAX_RAW) {
            byte[] both = new byte[raw];
            System.arraycopy(subject, 0, both, 0, subject.length);
            System.arraycopy(r.payload(), 0, both, subject.length, r.payload().length);
            byte[] packed = Packing.pack(both, raw);
            if (packed.length < raw) {
                return new Body(true, subject.length, packed, NOTHING);
            }
        }
        return new Body(false, subject.length, subject, r.payload());
    }

    /**
     * The encoded size of a record.
     *
     * @param subject the subject as UTF-8
     * @param payload the payload length
     * @return frame bytes
     */
    public static int frameSize(byte[] subject, int payload) {
        return FIXED + subject.length + payload;
    }

    /**
     * The encoded size of a record.
     *
     * @param body what it carries after its fixed fields
     * @return frame bytes
     */
    public static int frameSize(Body body) {
        return FIXED + body.length();
    }

    /**
     * Encodes one record into {@code out} at its position, packed when that is smaller.
     *
     * @param out       the buffer, with room for {@link #frameSize} bytes
     * @param r         the record
     * @param subject   its subject as UTF-8 (at most 65535 bytes)
     * @param position  the position it gets
     * @param first     whether it is the first record of its append (single or batch)
     * @param continues whether the next record belongs to the same atomic batch
     */
    public static void encode(ByteBuffer out, NewRecord r, byte[] subject, long position, boolean first,
                              boolean continues) {
        encode(out, r, body(r, subject), position, first, continues);
    }

    /**
     * Encodes one record into {@code out} at its position.
     *
     * @param out       the buffer, with room for {@link #frameSize(Body)} bytes
     * @param r         the record (its type, version and time)
     * @param b         its body from {@link #body}
     * @param position  the position it gets
     * @param first     whether it is the first record of its append (single or batch)
     * @param continues whether the next record belongs to the same atomic batch
     */
    public static void encode(ByteBuffer out, NewRecord r, Body b, long position, boolean first,
                              boolean continues) {
        int start = out.position();
        int body = FIXED_BODY + b.length();
        out.putInt(body).putInt(0)
                .put((byte) code(r.type()))
                .put((byte) ((continues ? FLAG_CONTINUES : 0) | (first ? FLAG_FIRST : 0)
                        | (b.packed() ? FLAG_PACKED : 0)))
                .putShort((short) r.version())
                .putLong(position)
                .putLong(r.at().getEpochSecond())
                .putInt(r.at().getNano())
                .putShort((short) b.subjectLen())
                .put(b.first())
                .put(b.second());
        out.putInt(start + 4, crc(out, start, body));
    }

    private static int crc(ByteBuffer b, int frameStart, int body) {
        CRC32C crc = new CRC32C();
        ByteBuffer d = b.duplicate();
        d.limit(frameStart + 4).position(frameStart);
        crc.update(d);
        d.limit(frameStart + 8 + body).position(frameStart + 8);
        crc.update(d);
        return (int) crc.getValue();
    }

    /**
     * Checks whether a valid frame starts at {@code off}: plausible length inside {@code len}, known type,
     * matching CRC32C and a sane subject length.
     *
     * @param data the bytes
     * @param off  where the frame would start
     * @param len  the end of valid bytes
     * @return the frame's total length, or -1 if there is no valid frame there
     */
    public static int validFrame(byte[] data, int off, int len) {
        if (off < 0 || len - off < FIXED) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int body = b.getInt(off);
        if (body < FIXED_BODY || body > MAX_BODY || body > len - off - 8) {
            return -1;
        }
        int type = data[off + 8] & 0xFF;
        if (type < 1 || type >= BY_CODE.length) {
            return -1;
        }
        int subjectLen = b.getShort(off + 32) & 0xFFFF;
        int nano = b.getInt(off + 28);
        boolean packed = (data[off + 9] & FLAG_PACKED) != 0;
        if ((!packed && subjectLen > body - FIXED_BODY) || nano < 0 || nano > 999_999_999) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(data, off, 4);
        crc.update(data, off + 8, body);
        if ((int) crc.getValue() != b.getInt(off + 4)) {
            return -1;
        }
        return body + 8;
    }

    /**
     * The position of a frame already known valid.
     *
     * @param data the bytes
     * @param off  the frame start
     * @return its position
     */
    public static long position(byte[] data, int off) {
        return ByteBuffer.wrap(data).getLong(off + 12);
    }

    /**
     * Whether a frame, already known valid, says the next record belongs to its batch.
     *
     * @param data the bytes
     * @param off  the frame start
     * @return true if the batch continues after it
     */
    public static boolean continues(byte[] data, int off) {
        return (data[off + 9] & FLAG_CONTINUES) != 0;
    }

    /**
     * Whether a frame, already known valid, starts an append.
     *
     * @param data the bytes
     * @param off  the frame start
     * @return true for a single record or the first of a batch
     */
    public static boolean first(byte[] data, int off) {
        return (data[off + 9] & FLAG_FIRST) != 0;
    }

    /**
     * Decodes a frame already known valid.
     *
     * @param data the bytes
     * @param off  the frame start
     * @return the record
     */
    public static StoredRecord decode(byte[] data, int off) {
        ByteBuffer b = ByteBuffer.wrap(data);
        int body = b.getInt(off);
        RecordType type = BY_CODE[data[off + 8] & 0xFF];
        int version = b.getShort(off + 10) & 0xFFFF;
        long position = b.getLong(off + 12);
        Instant at = Instant.ofEpochSecond(b.getLong(off + 20), b.getInt(off + 28));
        int subjectLen = b.getShort(off + 32) & 0xFFFF;
        if ((data[off + 9] & FLAG_PACKED) != 0) {
            byte[] raw = Packing.unpack(data, off + FIXED, body - FIXED_BODY);
            if (subjectLen > raw.length) {
                throw new IllegalArgumentException("packed record " + position + ": subject longer than the record");
            }
            String subject = new String(raw, 0, subjectLen, StandardCharsets.UTF_8);
            byte[] payload = java.util.Arrays.copyOfRange(raw, subjectLen, raw.length);
            return new StoredRecord(position, type, version, at, subject, payload);
        }
        String subject = new String(data, off + FIXED, subjectLen, StandardCharsets.UTF_8);
        int payloadOff = off + FIXED + subjectLen;
        byte[] payload = java.util.Arrays.copyOfRange(data, payloadOff, off + 8 + body);
        return new StoredRecord(position, type, version, at, subject, payload);
    }

    /**
     * Decodes a frame read on its own, checking it again (the bytes were read from disk just now).
     *
     * @param data exactly one frame
     * @return the record
     * @throws IllegalStateException if the frame is not valid
     */
    public static StoredRecord decodeChecked(byte[] data) {
        if (validFrame(data, 0, data.length) != data.length) {
            throw new IllegalStateException("record frame failed its CRC32C check on read");
        }
        return decode(data, 0);
    }

    /**
     * The body of a side file (a saved index) whose last four bytes are a CRC32C of everything before them.
     *
     * @param data the whole file
     * @return a stream over the body, or null when the file is too short or its CRC does not match (torn or rotten:
     *         the caller falls back to rebuilding what the file held)
     */
    public static java.io.DataInputStream checkedBody(byte[] data) {
        if (data.length < 4) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        int stored = ((data[data.length - 4] & 0xFF) << 24) | ((data[data.length - 3] & 0xFF) << 16)
                | ((data[data.length - 2] & 0xFF) << 8) | (data[data.length - 1] & 0xFF);
        if (stored != (int) crc.getValue()) {
            return null;
        }
        return new java.io.DataInputStream(new java.io.ByteArrayInputStream(data, 0, data.length - 4));
    }
}
