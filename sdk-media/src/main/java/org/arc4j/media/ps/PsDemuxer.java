package org.arc4j.media.ps;

// Over 500 lines because it is one incremental decoder driven by an explicit state (pack header, system header, PSM, PES,
// resync), in the manner of Netty's codecs, with its tolerances for real devices' streams next to the states
// they belong to.

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.arc4j.media.ps.internal.Crc32Mpeg2;
import org.arc4j.media.ps.internal.VideoEs;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;

/**
 * An incremental MPEG program stream demuxer (ISO/IEC 13818-1 §2.5; also MPEG-1 system streams, ISO/IEC 11172-1)
 * for GB/T 28181 media, fed with whatever pieces arrive — typically the payloads of RTP packets of payload type 96
 * in sequence order, which need not line up with packs, PES packets or pictures.
 *
 * <p>It reads pack headers (with stuffing), system headers, program stream maps (a wrong CRC is reported as
 * {@link PsError#PSM_CRC} and the map used all the same) and PES packets. Video PES payloads are cut into NAL units
 * and grouped into {@link AccessUnit}s with their PTS; a video stream the map does not describe is taken as H.265
 * or H.264 from its first parameter set, delimiter, SEI or key picture, and what comes before that is dropped. Audio PES payloads are handed on as they are. Bytes that do not parse are
 * skipped up to the next pack start code ({@code 00 00 01 BA}) and reported; the access unit they cut into is
 * handed on marked damaged.
 *
 * <p>A PES packet whose length runs past a pack start code — a lost or cut RTP packet — is dropped and reported
 * ({@link PsError#TRUNCATED}) rather than allowed to swallow the next pack; to see a start code the length cuts
 * into, a PES packet is taken once three bytes after it have arrived (or at {@link #flush()}).
 *
 * <p>Bounded: at most {@value #BUFFER} bytes are buffered besides one access unit per video stream. An access unit
 * is handed on as soon as a PES packet with a PTS and data_alignment_indicator begins the next one (GB/T 28181
 * devices and {@link PsMuxer} mark each picture so); otherwise when the next one's first NAL unit is complete, or at
 * {@link #flush()}. Never throws on bad input. Not thread-safe: one
 * demuxer per stream.
 */
public final class PsDemuxer {
    /** Receives what the stream carries, on the thread that calls {@link #feed}. */
    public interface Sink {
        /**
         * A video access unit; its timestamp is the 33-bit PTS in 90 kHz, or -1 when none is known yet.
         *
         * @param type the stream type
         * @param unit the access unit
         */
        void video(PsStreamType type, AccessUnit unit);

        /**
         * One audio PES payload.
         *
         * @param type the stream type
         * @param pts  its 33-bit PTS in 90 kHz, or -1
         * @param data the payload
         */
        default void audio(PsStreamType type, long pts, byte[] data) {
        }

        /**
         * Something refused or tolerated.
         *
         * @param invalid what and where
         */
        default void invalid(PsInvalid invalid) {
        }
    }

    /** The default bound on an access unit: 4 MiB. */
    public static final int DEFAULT_MAX_ACCESS_UNIT = 4 << 20;
    /** The input buffer: room for a whole PES packet (at most 65,541 bytes) and the piece after it. */
    public static final int BUFFER = 4 * 65_542;

    private static final int PACK = 0xBA;
    private static final int END = 0xB9;
    private static final int SYSTEM = 0xBB;
    private static final int PSM = 0xBC;

    private final int maxAccessUnit;
    private final Sink sink;
    private final byte[] buf = new byte[BUFFER];
    private int start;
    private int end;
    private long offset;

    private final int[] mapped = new int[256];
    private final VideoEs[] video = new VideoEs[16];
    private final boolean[] unknownReported = new boolean[256];
    private long pesScanAt = -1;
    private int pesScanned;
    /** Where the parser is. */
    private enum State {
        /** At a start code, or waiting for the rest of the unit that begins there. */
        IN_SYNC,
        /** Skipping bytes until the next pack start code. */
        SEEKING_PACK
    }

    private State state = State.IN_SYNC;
    private boolean draining;
    private long garbage;
    private long garbageAt;

    /**
     * A demuxer.
     *
     * @param maxAccessUnit the largest video access unit kept, in bytes
     * @param sink          receives the streams
     */
    public PsDemuxer(int maxAccessUnit, Sink sink) {
        if (maxAccessUnit < 1024) {
            throw new IllegalArgumentException("maxAccessUnit " + maxAccessUnit);
        }
        this.maxAccessUnit = maxAccessUnit;
        this.sink = Objects.requireNonNull(sink, "sink");
        Arrays.fill(mapped, -1);
    }

    /**
     * The type the program stream map gives a stream, or the one guessed for a video stream.
     *
     * @param streamId the PES stream_id, e.g. 0xE0
     * @return its type, when known
     */
    public Optional<PsStreamType> streamType(int streamId) {
        if (streamId < 0 || streamId > 255) {
            return Optional.empty();
        }
        if (mapped[streamId] >= 0) {
            return PsStreamType.of(mapped[streamId]);
        }
        VideoEs v = streamId >= 0xE0 && streamId <= 0xEF ? video[streamId - 0xE0] : null;
        if (v != null && v.codec() != null) {
            return Optional.of(v.codec() == VideoCodec.H264 ? PsStreamType.H264
                    : PsStreamType.H265);
        }
        return Optional.empty();
    }

    /**
     * Takes the next piece of the stream.
     *
     * @param b   bytes
     * @param off first byte
     * @param len length
     */
    public void feed(byte[] b, int off, int len) {
        while (len > 0) {
            if (end == buf.length) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = Math.min(len, buf.length - end);
            System.arraycopy(b, off, buf, end, n);
            end += n;
            off += n;
            len -= n;
            parse();
        }
    }

    /** The end of the stream: hands on the access units still being gathered. */
    public void flush() {
        draining = true;
        parse();
        draining = false;
        for (VideoEs v : video) {
            if (v != null) {
                v.flush();
            }
        }
    }

    private int u8(int i) {
        return buf[i] & 0xFF;
    }

    private int u16(int i) {
        return (u8(i) << 8) | u8(i + 1);
    }

    private void consume(int n) {
        start += n;
        offset += n;
    }

    private void invalid(PsError e, String detail) {
        sink.invalid(new PsInvalid(e, offset, detail));
    }

    private void resync(PsError e, String detail) {
        invalid(e, detail);
        consume(1);
        lostSync();
    }

    private void lostSync() {
        if (state == State.IN_SYNC) {
            state = State.SEEKING_PACK;
            garbage = 0;
            garbageAt = offset;
            for (VideoEs v : video) {
                if (v != null) {
                    v.discontinuity();
                }
            }
        }
    }

    private void parse() {
        while (true) {
            if (state == State.SEEKING_PACK) {
                int i = start;
                while (i + 3 < end && !(buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1 && u8(i + 3) == PACK)) {
                    i++;
                }
                int skip = i + 3 < end ? i - start : Math.max(0, end - start - 3);
                garbage += skip;
                consume(skip);
                if (i + 3 >= end) {
                    return;
                }
                state = State.IN_SYNC;
                if (garbage > 0) {
                    sink.invalid(new PsInvalid(PsError.GARBAGE, garbageAt, garbage + " bytes skipped"));
                }
            }
            int avail = end - start;
            if (avail < 4) {
                return;
            }
            if (buf[start] != 0 || buf[start + 1] != 0 || buf[start + 2] != 1 || u8(start + 3) < END) {
                lostSync();
                continue;
            }
            int id = u8(start + 3);
            if (id == PACK) {
                if (!pack(avail)) {
                    return;
                }
                continue;
            }
            if (id == END) {
                consume(4);
                continue;
            }
            if (avail < 6) {
                return;
            }
            int total = 6 + u16(start + 4);
            // three bytes past the end too: a pack start code the length cuts into is as telling as one inside
            if (packStartInside(Math.min(avail, total + 3))) {
                // the length ran past the next pack: bytes were lost on the way, or the length or id was damaged
                resync(PsError.TRUNCATED, "pack start code inside a packet of " + total + " bytes, stream id "
                        + Integer.toHexString(id));
                continue;
            }
            if (avail < total || (avail < total + 3 && !draining)) {
                return;
            }
            if (id == PSM) {
                psm(total);
            } else if (id >= 0xC0 && id <= 0xEF || id == 0xBD) {
                if (!pes(id, total)) {
                    continue;
                }
            }
            consume(total);
        }
    }

    /**
     * Whether {@code 00 00 01 BA} occurs in the packet (PES, map, system header, padding) at {@link #start}, which
     * means its length is wrong. It cannot occur in an H.264/H.265 byte stream (0xBA would be a NAL header with
     * forbidden_zero_bit set); in audio it occurs by chance about once in 2^32 bytes, and then costs one audio frame
     * — against a lost key picture when a cut packet swallows the pack after it.
     */
    private boolean packStartInside(int upTo) {
        long at = offset;
        int from = at == pesScanAt ? Math.max(6, pesScanned - 3) : 6;
        pesScanAt = at;
        for (int i = start + from; i + 3 < start + upTo; i++) {
            if ((buf[i + 2] & 0xFF) > 1) {
                // no 00 00 01 can begin at i, i+1 or i+2
                i += 2;
            } else if (buf[i + 2] == 1 && buf[i + 1] == 0 && buf[i] == 0 && u8(i + 3) == PACK) {
                return true;
            }
        }
        pesScanned = upTo;
        return false;
    }

    /** Takes a pack header of {@code total} bytes once it and the three bytes after it are here. */
    private boolean packEnd(int total, int avail) {
        // a pack header holds no 00 00 01 (its marker bits and stuffing see to it); one inside, or cut by its end,
        // means this header was cut short and the next pack starts there
        for (int i = start + 1; i + 3 < start + Math.min(avail, total + 3); i++) {
            if (buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1 && u8(i + 3) == PACK) {
                resync(PsError.TRUNCATED, "pack start code inside a pack header of " + total + " bytes");
                return true;
            }
        }
        if (avail < total || (avail < total + 3 && !draining)) {
            return false;
        }
        consume(total);
        return true;
    }

    private boolean pack(int avail) {
        if (avail < 5) {
            return false;
        }
        int b4 = u8(start + 4);
        if ((b4 & 0xC0) == 0x40) {
            if (avail < 14) {
                return false;
            }
            int s = start;
            if ((b4 & 0x04) == 0 || (u8(s + 6) & 0x04) == 0 || (u8(s + 8) & 0x04) == 0 || (u8(s + 9) & 0x01) == 0
                    || (u8(s + 12) & 0x03) != 0x03) {
                resync(PsError.BAD_PACK_HEADER, "marker bits");
                return true;
            }
            return packEnd(14 + (u8(s + 13) & 0x07), avail);
        }
        if ((b4 & 0xF1) == 0x21) {
            if (avail < 12) {
                return false;
            }
            int s = start;
            if ((u8(s + 6) & 1) == 0 || (u8(s + 8) & 1) == 0 || (u8(s + 9) & 0x80) == 0 || (u8(s + 11) & 1) == 0) {
                resync(PsError.BAD_PACK_HEADER, "MPEG-1 marker bits");
                return true;
            }
            return packEnd(12, avail);
        }
        resync(PsError.BAD_PACK_HEADER, "neither MPEG-1 nor MPEG-2 pack header: " + Integer.toHexString(b4));
        return true;
    }

    private void psm(int total) {
        int s = start;
        if (total < 16) {
            invalid(PsError.BAD_PSM, "map of " + total + " bytes");
            return;
        }
        int infoLen = u16(s + 8);
        int mapAt = s + 10 + infoLen;
        if (mapAt + 2 > s + total - 4) {
            invalid(PsError.BAD_PSM, "program_stream_info_length " + infoLen);
            return;
        }
        int mapLen = u16(mapAt);
        int at = mapAt + 2;
        int mapEnd = at + mapLen;
        if (mapEnd > s + total - 4) {
            invalid(PsError.BAD_PSM, "elementary_stream_map_length " + mapLen);
            return;
        }
        int[] types = new int[256];
        Arrays.fill(types, -1);
        while (at + 4 <= mapEnd) {
            int type = u8(at);
            int id = u8(at + 1);
            int esInfo = u16(at + 2);
            if (at + 4 + esInfo > mapEnd) {
                invalid(PsError.BAD_PSM, "elementary_stream_info_length " + esInfo);
                return;
            }
            types[id] = type;
            at += 4 + esInfo;
        }
        long crc = ((long) u16(s + total - 4) << 16) | u16(s + total - 2);
        long computed = Crc32Mpeg2.INSTANCE.compute(buf, s, total - 4);
        if (crc != computed) {
            invalid(PsError.PSM_CRC, "CRC " + Long.toHexString(crc) + ", computed " + Long.toHexString(computed));
        }
        for (int id = 0; id < 256; id++) {
            if (types[id] >= 0) {
                mapped[id] = types[id];
                if (id >= 0xE0 && id <= 0xEF && video[id - 0xE0] != null) {
                    PsStreamType t = PsStreamType.of(types[id]).orElse(null);
                    if (t != null && t.isVideo() && video[id - 0xE0].codec() != t.videoCodec().orElseThrow()) {
                        // the map changed the codec: start the stream afresh
                        video[id - 0xE0] = null;
                    }
                }
            }
        }
    }

    /** @return false when the packet was refused and the demuxer is resynchronising */
    private boolean pes(int id, int total) {
        int s = start;
        int payload;
        long pts = -1;
        boolean aligned = false;
        if (total < 7) {
            resync(PsError.BAD_PES_HEADER, "PES_packet_length 0");
            return false;
        }
        if ((u8(s + 6) & 0xC0) == 0x80) {
            if (total < 9) {
                resync(PsError.BAD_PES_HEADER, "PES of " + total + " bytes");
                return false;
            }
            aligned = (u8(s + 6) & 0x04) != 0;
            int flags = u8(s + 7);
            int hdl = u8(s + 8);
            payload = 9 + hdl;
            if (payload > total || ((flags & 0x80) != 0 && hdl < 5)) {
                resync(PsError.BAD_PES_HEADER, "PES_header_data_length " + hdl + " in " + total + " bytes");
                return false;
            }
            if ((flags & 0x80) != 0) {
                pts = pts(s + 9);
                if (pts < 0) {
                    resync(PsError.BAD_PES_HEADER, "PTS marker bits");
                    return false;
                }
            }
        } else {
            // MPEG-1 packet header: stuffing, optional STD buffer size, then PTS, PTS+DTS or 0x0F
            int at = s + 6;
            int stuffing = 0;
            while (at < s + total && u8(at) == 0xFF && stuffing < 16) {
                at++;
                stuffing++;
            }
            if (at < s + total && (u8(at) & 0xC0) == 0x40) {
                at += 2;
            }
            if (at >= s + total) {
                resync(PsError.BAD_PES_HEADER, "MPEG-1 packet header runs past the packet");
                return false;
            }
            int m = u8(at) & 0xF0;
            if (m == 0x20 || m == 0x30) {
                if (at + (m == 0x20 ? 5 : 10) > s + total) {
                    resync(PsError.BAD_PES_HEADER, "MPEG-1 PTS runs past the packet");
                    return false;
                }
                pts = pts(at);
                if (pts < 0) {
                    resync(PsError.BAD_PES_HEADER, "PTS marker bits");
                    return false;
                }
                at += m == 0x20 ? 5 : 10;
            } else if (u8(at) == 0x0F) {
                at++;
            } else {
                resync(PsError.BAD_PES_HEADER, "MPEG-1 packet header byte " + Integer.toHexString(u8(at)));
                return false;
            }
            payload = at - s;
        }
        if (id == 0xBD) {
            return true;
        }
        int from = s + payload;
        int len = total - payload;
        if (id >= 0xE0) {
            int type = mapped[id];
            PsStreamType t = type >= 0 ? PsStreamType.of(type).orElse(null) : null;
            if (type >= 0 && (t == null || !t.isVideo())) {
                unknown(id, "stream_type " + Integer.toHexString(type));
                return true;
            }
            VideoEs v = video[id - 0xE0];
            if (v == null) {
                v = new VideoEs(t == null ? null : t.videoCodec().orElseThrow(), maxAccessUnit, new VideoEs.Out() {
                    @Override
                    public void accessUnit(AccessUnit unit) {
                        sink.video(unit.codec() == VideoCodec.H264 ? PsStreamType.H264
                                : PsStreamType.H265, unit);
                    }

                    @Override
                    public void tooLarge() {
                        invalid(PsError.TOO_LARGE, "over " + maxAccessUnit + " bytes");
                    }
                });
                video[id - 0xE0] = v;
            }
            v.payload(buf, from, len, pts, aligned);
            return true;
        }
        int type = mapped[id];
        PsStreamType t = type >= 0 ? PsStreamType.of(type).orElse(null) : null;
        if (t == null && type < 0 && len >= 2 && u8(from) == 0xFF && (u8(from + 1) & 0xF6) == 0xF0) {
            // an ADTS sync word with layer 0: AAC
            t = PsStreamType.AAC;
        }
        if (t == null || t.isVideo()) {
            unknown(id, type >= 0 ? "stream_type " + Integer.toHexString(type) : "no map entry");
            return true;
        }
        sink.audio(t, pts, Arrays.copyOfRange(buf, from, from + len));
        return true;
    }

    private void unknown(int id, String why) {
        if (!unknownReported[id]) {
            unknownReported[id] = true;
            invalid(PsError.UNKNOWN_STREAM, "stream " + Integer.toHexString(id) + ": " + why);
        }
    }

    /** @return the 33-bit timestamp at {@code i} (ISO/IEC 13818-1 §2.4.3.7), or -1 if a marker bit is wrong */
    private long pts(int i) {
        if ((u8(i) & 1) == 0 || (u8(i + 2) & 1) == 0 || (u8(i + 4) & 1) == 0) {
            return -1;
        }
        return ((long) (u8(i) & 0x0E) << 29) | ((long) u8(i + 1) << 22) | ((long) (u8(i + 2) & 0xFE) << 14)
                | ((long) u8(i + 3) << 7) | (u8(i + 4) >> 1);
    }
}
