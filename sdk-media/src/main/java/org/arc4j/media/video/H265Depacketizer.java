package org.arc4j.media.video;

import java.util.List;
import java.util.Objects;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.internal.AccessUnitAssembler;

/**
 * H.265 RTP depacketiser (RFC 7798) for a single RTP stream without DONL fields ({@code sprop-max-don-diff} 0, the
 * usual camera case): single NAL unit packets (§4.4.1), aggregation packets (AP, §4.4.2) and fragmentation units
 * (FU, §4.4.3). PACI packets are refused as {@link VideoError#UNSUPPORTED_PACKET}. Not thread-safe: one per
 * stream.
 */
public final class H265Depacketizer implements Depacketizer {
    private static final int AP = 48;
    private static final int FU = 49;

    private final AccessUnitAssembler au;

    /**
     * A depacketiser.
     *
     * @param parameterSets VPS, SPS and PPS from SDP ({@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps}),
     *                      put in front of IRAP pictures that arrive without them; may be empty
     * @param maxAccessUnit the largest access unit accepted, in bytes
     * @param sink          receives access units and refusals
     */
    public H265Depacketizer(List<byte[]> parameterSets, int maxAccessUnit, Sink sink) {
        this.au = new AccessUnitAssembler(VideoCodec.H265, maxAccessUnit, parameterSets,
                Objects.requireNonNull(sink, "sink"));
    }

    @Override
    public void receive(RtpPacket packet) {
        au.begin(packet);
        payload(packet.payload());
        au.end(packet);
    }

    private static boolean badHeader(byte b0, byte b1) {
        // forbidden_zero_bit set, or nuh_temporal_id_plus1 zero
        return (b0 & 0x80) != 0 || (b1 & 0x07) == 0;
    }

    private void payload(byte[] b) {
        if (b.length < 3) {
            au.invalid(VideoError.TOO_SHORT, b.length + " bytes");
            return;
        }
        if (badHeader(b[0], b[1])) {
            au.invalid(VideoError.BAD_NAL_HEADER, "payload header " + (b[0] & 0xFF) + " " + (b[1] & 0xFF));
            return;
        }
        int type = (b[0] >> 1) & 0x3F;
        if (type < AP) {
            au.nal(b, 0, b.length);
        } else if (type == AP) {
            aggregation(b);
        } else if (type == FU) {
            fragmentation(b);
        } else if (type == 50) {
            au.invalid(VideoError.UNSUPPORTED_PACKET, "PACI");
        } else {
            au.invalid(VideoError.BAD_NAL_HEADER, "reserved type " + type);
        }
    }

    private void aggregation(byte[] b) {
        au.aggregate(b, 2, 2, (p, at) -> badHeader(p[at], p[at + 1]) || ((p[at] >> 1) & 0x3F) >= AP, "AP");
    }

    private void fragmentation(byte[] b) {
        if (b.length < 4) {
            au.invalid(VideoError.TOO_SHORT, "FU of " + b.length + " bytes");
            return;
        }
        boolean start = (b[2] & 0x80) != 0;
        boolean end = (b[2] & 0x40) != 0;
        int type = b[2] & 0x3F;
        if (start && end) {
            au.invalid(VideoError.BAD_FRAGMENT_HEADER, "start and end bits both set");
            return;
        }
        if (type >= AP) {
            au.invalid(VideoError.BAD_NAL_HEADER, "fragmented type " + type);
            return;
        }
        if (start) {
            au.fragmentStart(new byte[] {(byte) ((b[0] & 0x81) | (type << 1)), b[1]}, b, 3, b.length - 3);
        } else {
            au.fragment(b, 3, b.length - 3, end);
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
