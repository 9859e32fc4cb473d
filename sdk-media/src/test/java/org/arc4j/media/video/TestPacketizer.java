package org.arc4j.media.video;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.internal.AccessUnitSplitter;

/** A test-side RTP packetiser (RFC 6184 non-interleaved, RFC 7798) to feed the depacketisers. */
final class TestPacketizer {
    private final VideoCodec codec;
    private final int mtu;
    private int sequence;

    TestPacketizer(VideoCodec codec, int mtu, int firstSequence) {
        this.codec = codec;
        this.mtu = mtu;
        this.sequence = firstSequence;
    }

    /** The access units of an Annex B stream, 3600 ticks (25 fps) apart from {@code firstTimestamp}. */
    static List<AccessUnit> accessUnits(VideoCodec codec, byte[] annexB, long firstTimestamp) {
        List<List<byte[]>> groups = new ArrayList<>();
        AccessUnitSplitter s = new AccessUnitSplitter(codec, 1 << 24, (g, pos) -> groups.add(g));
        for (byte[] nal : AnnexB.INSTANCE.split(annexB, 0, annexB.length)) {
            s.nal(nal, 0);
        }
        s.flush();
        List<AccessUnit> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            out.add(new AccessUnit(codec, (firstTimestamp + 3600L * i) & 0xFFFFFFFFL, groups.get(i), true));
        }
        return out;
    }

    List<RtpPacket> packetize(AccessUnit au, boolean aggregate) {
        List<byte[]> payloads = new ArrayList<>();
        List<byte[]> small = new ArrayList<>();
        int smallSize = 0;
        for (int i = 0; i < au.nalUnitCount(); i++) {
            byte[] nal = au.nalUnit(i);
            int hdr = codec.headerLength();
            if (aggregate && nal.length + 2 + smallSize + hdr <= mtu) {
                small.add(nal);
                smallSize += nal.length + 2;
                continue;
            }
            flushSmall(small, payloads);
            smallSize = 0;
            if (nal.length <= mtu) {
                payloads.add(nal);
                continue;
            }
            int at = hdr;
            while (at < nal.length) {
                int n = Math.min(mtu - hdr - 1, nal.length - at);
                ByteArrayOutputStream p = new ByteArrayOutputStream();
                boolean start = at == hdr;
                boolean end = at + n == nal.length;
                int type = codec.nalType(nal);
                int se = (start ? 0x80 : 0) | (end ? 0x40 : 0);
                if (codec == VideoCodec.H264) {
                    p.write((nal[0] & 0xE0) | 28);
                    p.write(se | type);
                } else {
                    p.write((nal[0] & 0x81) | (49 << 1));
                    p.write(nal[1]);
                    p.write(se | type);
                }
                p.write(nal, at, n);
                payloads.add(p.toByteArray());
                at += n;
            }
        }
        flushSmall(small, payloads);
        List<RtpPacket> out = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            out.add(new RtpPacket(i == payloads.size() - 1, 96, sequence, au.timestamp(), 0xCAFE, 0,
                    payloads.get(i)));
            sequence = (sequence + 1) & 0xFFFF;
        }
        return out;
    }

    private void flushSmall(List<byte[]> small, List<byte[]> payloads) {
        if (small.size() == 1) {
            payloads.add(small.get(0));
        } else if (small.size() > 1) {
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            if (codec == VideoCodec.H264) {
                int nri = 0;
                for (byte[] n : small) {
                    nri = Math.max(nri, n[0] & 0x60);
                }
                p.write(nri | 24);
            } else {
                p.write(48 << 1);
                p.write(1);
            }
            for (byte[] n : small) {
                p.write(n.length >> 8);
                p.write(n.length);
                p.writeBytes(n);
            }
            payloads.add(p.toByteArray());
        }
        small.clear();
    }
}
