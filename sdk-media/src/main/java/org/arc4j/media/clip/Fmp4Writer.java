package org.arc4j.media.clip;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Sps;
import org.arc4j.media.video.SpsParser;
import org.arc4j.media.video.SpsResult;
import org.arc4j.media.video.VideoCodec;

/**
 * Writes H.264 video as fragmented MP4 (ISO/IEC 14496-12 with 14496-15's {@code avc1}/{@code avcC}): an
 * initialisation segment ({@code ftyp} + {@code moov}, with the clip's metadata as {@code udta} text items that
 * players and {@code ffprobe -show_format} show), then one fragment ({@code moof} + {@code mdat}) per group of
 * pictures. The same fragments feed a browser's Media Source Extensions for live view, and a file of them is a
 * clip that standard players open.
 *
 * <p>Input is access units in decode order with their 90 kHz presentation timestamps (RTP or PS time). When
 * timestamps are not monotonic (B-frames), decode times are the sorted presentation times and each sample carries
 * its composition offset (a version-1 {@code trun}, signed). The first access unit must be a key frame carrying
 * the SPS and PPS (or they are given to the constructor). H.265 is not written yet.
 *
 * <p>Not thread-safe: one writer per clip or live stream.
 */
public final class Fmp4Writer {
    /** The media timescale: RTP's 90 kHz video clock. */
    public static final int TIMESCALE = 90_000;

    private final OutputStream out;
    private final Map<String, String> metadata;
    private final List<AccessUnit> gop = new ArrayList<>();
    private byte[] sps;
    private byte[] pps;
    private boolean initWritten;
    private long firstTimestamp = Long.MIN_VALUE;
    private long nextDecodeTime;
    private int sequence;
    private long lastDuration = TIMESCALE / 25;
    private long samples;
    private long bytes;

    /**
     * A writer.
     *
     * @param out      where the MP4 goes (the caller closes it)
     * @param metadata text items for {@code udta}, e.g. {@code comment} → the case id; keys among {@code title},
     *                 {@code comment}, {@code description}, {@code date}, {@code encoder}
     */
    public Fmp4Writer(OutputStream out, Map<String, String> metadata) {
        this.out = Objects.requireNonNull(out, "out");
        this.metadata = new LinkedHashMap<>(metadata);
    }

    /** @return samples written so far */
    public long samples() {
        return samples;
    }

    /** @return bytes written so far */
    public long bytes() {
        return bytes;
    }

    /**
     * Adds an access unit. A key frame closes the fragment before it.
     *
     * @param unit an H.264 access unit
     * @throws IllegalArgumentException for another codec, or a first unit that is not a key frame with SPS/PPS
     * @throws UncheckedIOException if writing fails
     */
    public void add(AccessUnit unit) {
        if (unit.codec() != VideoCodec.H264) {
            throw new IllegalArgumentException("only H.264 is written as MP4 yet, not " + unit.codec());
        }
        if (!initWritten) {
            if (!unit.isKey()) {
                return; // nothing before the first key frame is decodable
            }
            for (int i = 0; i < unit.nalUnitCount(); i++) {
                byte[] n = unit.nalUnit(i);
                int type = n[0] & 0x1F;
                if (type == 7 && sps == null) {
                    sps = n;
                } else if (type == 8 && pps == null) {
                    pps = n;
                }
            }
            if (sps == null || pps == null) {
                throw new IllegalArgumentException("the first key frame carries no SPS/PPS");
            }
            writeInit();
            firstTimestamp = unit.timestamp();
        }
        if (unit.isKey() && !gop.isEmpty()) {
            flushFragment(unit.timestamp());
        }
        gop.add(unit);
    }

    /** Writes what is buffered as a last fragment. */
    public void finish() {
        if (!gop.isEmpty()) {
            flushFragment(Long.MIN_VALUE);
        }
    }

    private void writeInit() {
        SpsResult r = SpsParser.INSTANCE.parse(VideoCodec.H264, sps);
        if (!(r instanceof SpsResult.Valid v)) {
            throw new IllegalArgumentException("SPS not readable: " + r);
        }
        Sps s = v.sps();
        Box ftyp = new Box("ftyp").str("isom").u32(0x200).str("isom").str("iso6").str("avc1").str("mp41");
        Box avcC = new Box("avcC").u8(1).u8(sps[1] & 0xFF).u8(sps[2] & 0xFF).u8(sps[3] & 0xFF).u8(0xFF).u8(0xE1)
                .u16(sps.length).bytes(sps).u8(1).u16(pps.length).bytes(pps);
        Box avc1 = new Box("avc1").zeros(6).u16(1).zeros(16).u16(s.width()).u16(s.height()).u32(0x00480000)
                .u32(0x00480000).u32(0).u16(1).zeros(32).u16(0x18).u16(0xFFFF).child(avcC);
        Box stbl = new Box("stbl").child(new Box("stsd").u32(0).u32(1).child(avc1))
                .child(new Box("stts").u32(0).u32(0)).child(new Box("stsc").u32(0).u32(0))
                .child(new Box("stsz").u32(0).u32(0).u32(0)).child(new Box("stco").u32(0).u32(0));
        Box minf = new Box("minf").child(new Box("vmhd").u32(1).zeros(8))
                .child(new Box("dinf").child(new Box("dref").u32(0).u32(1).child(new Box("url ").u32(1))))
                .child(stbl);
        Box mdia = new Box("mdia").child(new Box("mdhd").u32(0).u32(0).u32(0).u32(TIMESCALE).u32(0).u16(0x55C4).u16(0))
                .child(new Box("hdlr").u32(0).u32(0).str("vide").zeros(12).bytes("VideoHandler\0"
                        .getBytes(StandardCharsets.US_ASCII)))
                .child(minf);
        Box tkhd = new Box("tkhd").u32(3).u32(0).u32(0).u32(1).u32(0).u32(0).zeros(8).u16(0).u16(0).u16(0).u16(0)
                .matrix().u32(s.width() << 16).u32(s.height() << 16);
        Box mvhd = new Box("mvhd").u32(0).u32(0).u32(0).u32(1000).u32(0).u32(0x00010000).u16(0x0100).zeros(10)
                .matrix().zeros(24).u32(2);
        Box moov = new Box("moov").child(mvhd).child(new Box("trak").child(tkhd).child(mdia))
                .child(new Box("mvex").child(new Box("trex").u32(0).u32(1).u32(1).u32(0).u32(0).u32(0)));
        if (!metadata.isEmpty()) {
            Box udta = new Box("udta");
            metadata.forEach((k, val) -> udta.child(text(k, val)));
            moov.child(udta);
        }
        emit(ftyp.toBytes());
        emit(moov.toBytes());
        initWritten = true;
    }

    /** A QuickTime user-data text item ({@code ©cmt} and the like), which ffmpeg shows as a format tag. */
    private static Box text(String key, String value) {
        String four = switch (key) {
            case "title" -> "nam";
            case "comment" -> "cmt";
            case "description" -> "des";
            case "date" -> "day";
            case "encoder" -> "too";
            default -> throw new IllegalArgumentException("unknown metadata key: " + key);
        };
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        Box b = new Box(new byte[] {(byte) 0xA9, (byte) four.charAt(0), (byte) four.charAt(1), (byte) four.charAt(2)});
        return b.u16(v.length).u16(0x55C4).bytes(v);
    }

    private void flushFragment(long nextTimestamp) {
        int n = gop.size();
        long[] pts = new long[n];
        for (int i = 0; i < n; i++) {
            pts[i] = gop.get(i).timestamp() - firstTimestamp;
        }
        long[] dts = pts.clone();
        Arrays.sort(dts);
        boolean reordered = !Arrays.equals(dts, pts);
        // decode times continue from the previous fragment; a jump in the source clock does not move them back
        long shift = nextDecodeTime - dts[0];
        long[] durations = new long[n];
        for (int i = 0; i < n; i++) {
            long next = i + 1 < n ? dts[i + 1] : nextTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE
                    : nextTimestamp - firstTimestamp;
            long d = next == Long.MIN_VALUE ? lastDuration : next - dts[i];
            if (d <= 0 || d > 10L * TIMESCALE) {
                d = lastDuration; // a clock jump: keep the last good frame interval
            }
            durations[i] = d;
            lastDuration = d;
        }
        List<byte[]> data = new ArrayList<>(n);
        int mdatSize = 8;
        for (AccessUnit u : gop) {
            byte[] b = u.toLengthPrefixed();
            data.add(b);
            mdatSize += b.length;
        }
        int flags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | (reordered ? 0x000800 : 0);
        Box trun = new Box("trun").u8(reordered ? 1 : 0).u24(flags).u32(n).u32(0);
        for (int i = 0; i < n; i++) {
            trun.u32((int) durations[i]).u32(data.get(i).length)
                    .u32(gop.get(i).isKey() ? 0x02000000 : 0x01010000);
            if (reordered) {
                trun.u32((int) (pts[i] - dts[i]));
            }
        }
        Box traf = new Box("traf").child(new Box("tfhd").u32(0x020000).u32(1))
                .child(new Box("tfdt").u32(0x01000000).u64(dts[0] + shift)).child(trun);
        Box moof = new Box("moof").child(new Box("mfhd").u32(0).u32(++sequence)).child(traf);
        byte[] moofBytes = moof.toBytes();
        // the data offset is counted from the start of moof to the first sample, past mdat's header
        int dataOffsetAt = moofBytes.length - trun.size() + 8 + 4 + 4;
        putInt(moofBytes, dataOffsetAt, moofBytes.length + 8);
        emit(moofBytes);
        ByteArrayOutputStream mdat = new ByteArrayOutputStream(mdatSize);
        mdat.write(mdatSize >>> 24);
        mdat.write(mdatSize >>> 16);
        mdat.write(mdatSize >>> 8);
        mdat.write(mdatSize);
        mdat.writeBytes("mdat".getBytes(StandardCharsets.US_ASCII));
        data.forEach(mdat::writeBytes);
        emit(mdat.toByteArray());
        long total = 0;
        for (long d : durations) {
            total += d;
        }
        nextDecodeTime = dts[0] + shift + total;
        samples += n;
        gop.clear();
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private void emit(byte[] b) {
        try {
            out.write(b);
            bytes += b.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An ISO BMFF box under construction: its payload, then its children. */
    private static final class Box {
        private final byte[] type;
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        private final DataOutputStream d = new DataOutputStream(payload);
        private final List<Box> children = new ArrayList<>();

        Box(String type) {
            this(type.getBytes(StandardCharsets.ISO_8859_1));
        }

        Box(byte[] type) {
            this.type = type;
        }

        Box u8(int v) {
            payload.write(v);
            return this;
        }

        Box u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Box u24(int v) {
            return u8(v >>> 16).u16(v);
        }

        Box u32(int v) {
            try {
                d.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Box u64(long v) {
            return u32((int) (v >>> 32)).u32((int) v);
        }

        Box str(String four) {
            return bytes(four.getBytes(StandardCharsets.ISO_8859_1));
        }

        Box bytes(byte[] b) {
            payload.writeBytes(b);
            return this;
        }

        Box zeros(int n) {
            return bytes(new byte[n]);
        }

        /** The unity transformation matrix of mvhd and tkhd. */
        Box matrix() {
            return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
        }

        Box child(Box b) {
            children.add(b);
            return this;
        }

        int size() {
            int n = 8 + payload.size();
            for (Box c : children) {
                n += c.size();
            }
            return n;
        }

        byte[] toBytes() {
            ByteArrayOutputStream o = new ByteArrayOutputStream(size());
            write(o);
            return o.toByteArray();
        }

        private void write(ByteArrayOutputStream o) {
            int n = size();
            o.write(n >>> 24);
            o.write(n >>> 16);
            o.write(n >>> 8);
            o.write(n);
            o.writeBytes(type);
            o.writeBytes(payload.toByteArray());
            for (Box c : children) {
                c.write(o);
            }
        }
    }
}
