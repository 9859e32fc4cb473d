package org.arc4j.media.video;

import java.util.List;
import java.util.Objects;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.internal.AccessUnitAssembler;

/**
 * H.264 RTP depacketiser, non-interleaved mode (RFC 6184 §6.2): single NAL unit packets (§5.6), STAP-A (§5.7.1)
 * and FU-A (§5.8). STAP-B, MTAP and FU-B, which only the interleaved mode uses, are refused as
 * {@link VideoError#UNSUPPORTED_PACKET}. Not thread-safe: one per stream.
 */
public final class H264Depacketizer implements Depacketizer {
    /** The default bound on an access unit: 4 MiB, far above a 4K intra picture at surveillance bit rates. */
    public static final int DEFAULT_MAX_ACCESS_UNIT = 4 << 20;

    private static final int STAP_A = 24;
    private static final int FU_A = 28;

    private final AccessUnitAssembler au;

    /**
     * A depacketiser.
     *
     * @param parameterSets SPS and PPS from SDP ({@link SpropParameterSets#decode}), put in front of IDR pictures
     *                      that arrive without them; may be empty
     * @param maxAccessUnit the largest access unit accepted, in bytes
     * @param sink          receives access units and refusals
     */
    public H264Depacketizer(List<byte[]> parameterSets, int maxAccessUnit, Sink sink) {
        this.au = new AccessUnitAssembler(VideoCodec.H264, maxAccessUnit, parameterSets,
                Objects.requireNonNull(sink, "sink"));
    }

    @Override
    public void receive(RtpPacket packet) {
        au.begin(packet);
        byte[] b = packet.payload();
        payload(b);
        au.end(packet);
    }

    private void payload(byte[] b) {
        if (b.length < 1) {
            au.invalid(VideoError.TOO_SHORT, "empty payload");
            return;
        }
        if ((b[0] & 0x80) != 0) {
            au.invalid(VideoError.BAD_NAL_HEADER, "forbidden_zero_bit set");
            return;
        }
        int type = b[0] & 0x1F;
        if (type >= 1 && type <= 23) {
            au.nal(b, 0, b.length);
        } else if (type == STAP_A) {
            stapA(b);
        } else if (type == FU_A) {
            fuA(b);
        } else if (type >= 25 && type <= 29) {
            au.invalid(VideoError.UNSUPPORTED_PACKET, "packet type " + type + " (interleaved mode)");
        } else {
            au.invalid(VideoError.BAD_NAL_HEADER, "reserved type " + type);
        }
    }

    private void stapA(byte[] b) {
        au.aggregate(b, 1, 1, (p, at) -> (p[at] & 0x80) != 0 || (p[at] & 0x1F) == 0 || (p[at] & 0x1F) > 23,
                "STAP-A");
    }

    private void fuA(byte[] b) {
        if (b.length < 3) {
            au.invalid(VideoError.TOO_SHORT, "FU-A of " + b.length + " bytes");
            return;
        }
        boolean start = (b[1] & 0x80) != 0;
        boolean end = (b[1] & 0x40) != 0;
        int type = b[1] & 0x1F;
        if (start && end) {
            au.invalid(VideoError.BAD_FRAGMENT_HEADER, "start and end bits both set");
            return;
        }
        if (type == 0 || type > 23) {
            au.invalid(VideoError.BAD_NAL_HEADER, "fragmented type " + type);
            return;
        }
        if (start) {
            au.fragmentStart(new byte[] {(byte) ((b[0] & 0xE0) | type)}, b, 2, b.length - 2);
        } else {
            au.fragment(b, 2, b.length - 2, end);
        }
    }

    @Override
    public void flush() {
        au.flush();
    }

    @Override
    public List<byte[]> parameterSets() {
        return au.parameterSets();
    }
}
