package org.arc4j.media.ps;

import java.io.ByteArrayOutputStream;
import java.util.Objects;
import org.arc4j.media.ps.internal.Crc32Mpeg2;
import org.arc4j.media.video.AccessUnit;

/**
 * Writes access units and audio frames as an MPEG-2 program stream (ISO/IEC 13818-1 §2.5) the way GB/T 28181
 * devices send it, e.g. when cascading media to an upper platform: each video access unit is one pack (pack header,
 * then — for a key picture — a system header and a program stream map, then as many PES packets as its size
 * needs, the first with the PTS); each audio frame is one pack with one PES packet. The SCR is taken from the PTS.
 * Not thread-safe.
 */
public final class PsMuxer {
    /** Video PES stream_id. */
    public static final int VIDEO_STREAM_ID = 0xE0;
    /** Audio PES stream_id. */
    public static final int AUDIO_STREAM_ID = 0xC0;
    /** The most payload one PES packet carries: the 16-bit length less the MPEG-2 header with a PTS. */
    public static final int MAX_PES_PAYLOAD = 0xFFFF - 8;

    private static final long MASK33 = (1L << 33) - 1;
    /** mux_rate in units of 50 bytes/s: 20 Mbit/s, well above a camera's stream. */
    private static final int MUX_RATE = 50_000;

    private final PsStreamType videoType;
    private final PsStreamType audioType;
    private int version;

    /**
     * A muxer.
     *
     * @param videoType {@link PsStreamType#H264} or {@link PsStreamType#H265}
     * @param audioType an audio type, or null for video only
     */
    public PsMuxer(PsStreamType videoType, PsStreamType audioType) {
        this.videoType = Objects.requireNonNull(videoType, "videoType");
        if (!videoType.isVideo() || (audioType != null && audioType.isVideo())) {
            throw new IllegalArgumentException("video " + videoType + ", audio " + audioType);
        }
        this.audioType = audioType;
    }

    /**
     * One video access unit as one pack; with the system header and map in front when it is a key picture.
     *
     * @param unit the access unit; its timestamp is the PTS (90 kHz, taken modulo 2^33)
     * @return the pack's bytes
     */
    public byte[] video(AccessUnit unit) {
        if (unit.codec() != videoType.videoCodec().orElseThrow()) {
            throw new IllegalArgumentException(unit.codec() + " into a " + videoType + " stream");
        }
        long pts = unit.timestamp() & MASK33;
        ByteArrayOutputStream out = new ByteArrayOutputStream(unit.size() + 256);
        packHeader(out, pts);
        if (unit.isKey()) {
            systemHeader(out);
            psm(out);
        }
        byte[] es = unit.toAnnexB();
        int at = 0;
        boolean first = true;
        while (at < es.length) {
            int n = Math.min(MAX_PES_PAYLOAD, es.length - at);
            pes(out, VIDEO_STREAM_ID, first ? pts : -1, es, at, n);
            first = false;
            at += n;
        }
        return out.toByteArray();
    }

    /**
     * One audio frame as one pack.
     *
     * @param pts  its PTS, 90 kHz
     * @param data the frame (G.711 codes, an ADTS frame), at most {@value #MAX_PES_PAYLOAD} bytes
     * @return the pack's bytes
     */
    public byte[] audio(long pts, byte[] data) {
        if (audioType == null) {
            throw new IllegalStateException("no audio stream");
        }
        if (data.length > MAX_PES_PAYLOAD) {
            throw new IllegalArgumentException("audio frame of " + data.length + " bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 40);
        packHeader(out, pts & MASK33);
        pes(out, AUDIO_STREAM_ID, pts & MASK33, data, 0, data.length);
        return out.toByteArray();
    }

    private static void startCode(ByteArrayOutputStream out, int id) {
        out.write(0);
        out.write(0);
        out.write(1);
        out.write(id);
    }

    private static void packHeader(ByteArrayOutputStream out, long scr) {
        startCode(out, 0xBA);
        out.write(0x44 | (int) ((scr >> 27) & 0x38) | (int) ((scr >> 28) & 0x03));
        out.write((int) (scr >> 20));
        out.write(0x04 | (int) ((scr >> 12) & 0xF8) | (int) ((scr >> 13) & 0x03));
        out.write((int) (scr >> 5));
        // SCR low bits, marker, then a zero SCR extension and its marker
        out.write(0x04 | (int) ((scr << 3) & 0xF8));
        out.write(0x01);
        out.write(MUX_RATE >> 14);
        out.write(MUX_RATE >> 6);
        out.write(((MUX_RATE << 2) & 0xFC) | 0x03);
        out.write(0xF8);
    }

    private void systemHeader(ByteArrayOutputStream out) {
        int streams = audioType == null ? 1 : 2;
        startCode(out, 0xBB);
        int len = 6 + 3 * streams;
        out.write(len >> 8);
        out.write(len);
        out.write(0x80 | (MUX_RATE >> 15));
        out.write(MUX_RATE >> 7);
        out.write(((MUX_RATE << 1) & 0xFE) | 0x01);
        // audio_bound, fixed_flag 0, CSPS_flag 0
        out.write((audioType == null ? 0 : 1) << 2);
        // system_audio_lock, system_video_lock, marker, video_bound 1
        out.write(0xE1);
        out.write(0x7F);
        out.write(VIDEO_STREAM_ID);
        // P-STD buffer: scale 1 (1024-byte units), 1024 KiB
        out.write(0xE0 | (1024 >> 8));
        out.write(1024 & 0xFF);
        if (audioType != null) {
            out.write(AUDIO_STREAM_ID);
            // scale 0 (128-byte units), 4 KiB
            out.write(0xC0);
            out.write(32);
        }
    }

    private void psm(ByteArrayOutputStream out) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        startCode(m, 0xBC);
        int streams = audioType == null ? 1 : 2;
        int len = 6 + 4 * streams + 4;
        m.write(len >> 8);
        m.write(len);
        // current_next_indicator, reserved, version
        m.write(0xE0 | (version & 0x1F));
        m.write(0xFF);
        m.write(0);
        m.write(0);
        m.write(0);
        m.write(4 * streams);
        m.write(videoType.code());
        m.write(VIDEO_STREAM_ID);
        m.write(0);
        m.write(0);
        if (audioType != null) {
            m.write(audioType.code());
            m.write(AUDIO_STREAM_ID);
            m.write(0);
            m.write(0);
        }
        byte[] b = m.toByteArray();
        long crc = Crc32Mpeg2.INSTANCE.compute(b, 0, b.length);
        out.writeBytes(b);
        out.write((int) (crc >> 24));
        out.write((int) (crc >> 16));
        out.write((int) (crc >> 8));
        out.write((int) crc);
    }

    private static void pes(ByteArrayOutputStream out, int id, long pts, byte[] b, int off, int n) {
        startCode(out, id);
        int hdl = pts >= 0 ? 5 : 0;
        int len = 3 + hdl + n;
        out.write(len >> 8);
        out.write(len);
        // '10', not scrambled, priority 0, data_alignment_indicator on a PES that starts an access unit
        out.write(pts >= 0 ? 0x84 : 0x80);
        out.write(pts >= 0 ? 0x80 : 0x00);
        out.write(hdl);
        if (pts >= 0) {
            out.write(0x21 | (int) ((pts >> 29) & 0x0E));
            out.write((int) (pts >> 22));
            out.write(0x01 | (int) ((pts >> 14) & 0xFE));
            out.write((int) (pts >> 7));
            out.write(0x01 | (int) ((pts << 1) & 0xFE));
        }
        out.write(b, off, n);
    }
}
