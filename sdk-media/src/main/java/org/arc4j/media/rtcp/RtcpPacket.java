package org.arc4j.media.rtcp;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One packet of an RTCP compound packet (RFC 3550 §6.4–§6.6). Immutable values; {@link RtcpCodec} reads and writes
 * them.
 */
public sealed interface RtcpPacket permits RtcpPacket.SenderReport, RtcpPacket.ReceiverReport,
        RtcpPacket.SourceDescription, RtcpPacket.Goodbye, RtcpPacket.Unknown {
    /** Packet type of an SR. */
    int SR = 200;
    /** Packet type of an RR. */
    int RR = 201;
    /** Packet type of an SDES. */
    int SDES = 202;
    /** Packet type of a BYE. */
    int BYE = 203;

    /**
     * A sender report (§6.4.1): the sender's wall-clock time and the RTP timestamp of the same instant, which is
     * what lets a receiver put a wall-clock time on each frame (see {@link RtpClockMapping}).
     *
     * @param ssrc         the sender
     * @param ntp          wall-clock time of the report
     * @param rtpTimestamp the RTP timestamp of the same instant, 32 bits
     * @param packetCount  packets sent so far, 32 bits
     * @param octetCount   payload octets sent so far, 32 bits
     * @param blocks       reports on the sources it receives, at most 31
     */
    record SenderReport(long ssrc, NtpTimestamp ntp, long rtpTimestamp, long packetCount, long octetCount,
                        List<ReportBlock> blocks) implements RtcpPacket {
        /** Validates ranges and copies the blocks. */
        public SenderReport {
            Objects.requireNonNull(ntp, "ntp");
            blocks = List.copyOf(blocks);
            if (!ReportBlock.u32(ssrc) || !ReportBlock.u32(rtpTimestamp) || !ReportBlock.u32(packetCount)
                    || !ReportBlock.u32(octetCount) || blocks.size() > 31) {
                throw new IllegalArgumentException("SR field out of range");
            }
        }
    }

    /**
     * A receiver report (§6.4.2).
     *
     * @param ssrc   the receiver
     * @param blocks reports on the sources it receives, at most 31
     */
    record ReceiverReport(long ssrc, List<ReportBlock> blocks) implements RtcpPacket {
        /** Validates ranges and copies the blocks. */
        public ReceiverReport {
            blocks = List.copyOf(blocks);
            if (!ReportBlock.u32(ssrc) || blocks.size() > 31) {
                throw new IllegalArgumentException("RR field out of range");
            }
        }
    }

    /**
     * Source description items (§6.5), CNAME above all, which every compound packet must carry.
     *
     * @param chunks one per source, at most 31
     */
    record SourceDescription(List<Chunk> chunks) implements RtcpPacket {
        /** CNAME item type. */
        public static final int CNAME = 1;

        /** Copies the chunks. */
        public SourceDescription {
            chunks = List.copyOf(chunks);
            if (chunks.size() > 31) {
                throw new IllegalArgumentException("more than 31 SDES chunks");
            }
        }

        /**
         * The items of one source.
         *
         * @param ssrc  the source
         * @param items its items
         */
        public record Chunk(long ssrc, List<Item> items) {
            /** Copies the items. */
            public Chunk {
                items = List.copyOf(items);
                if (!ReportBlock.u32(ssrc)) {
                    throw new IllegalArgumentException("ssrc out of range");
                }
            }
        }

        /**
         * One item.
         *
         * @param type  1..255 (1 CNAME, 2 NAME, … §6.5)
         * @param value UTF-8 text of at most 255 bytes
         */
        public record Item(int type, String value) {
            /** Validates ranges. */
            public Item {
                Objects.requireNonNull(value, "value");
                if (type < 1 || type > 255 || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                    throw new IllegalArgumentException("SDES item out of range");
                }
            }
        }
    }

    /**
     * A BYE (§6.6): the sources are leaving.
     *
     * @param ssrcs  the sources, at most 31
     * @param reason why, or empty
     */
    record Goodbye(List<Long> ssrcs, String reason) implements RtcpPacket {
        /** Copies the sources. */
        public Goodbye {
            ssrcs = List.copyOf(ssrcs);
            Objects.requireNonNull(reason, "reason");
            if (ssrcs.size() > 31 || reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("BYE out of range");
            }
        }
    }

    /**
     * A packet type this codec does not interpret (APP, RTPFB, PSFB, XR …), kept whole.
     *
     * @param type  the packet type
     * @param count the five-bit count field
     * @param body  the bytes after the four-byte header
     */
    record Unknown(int type, int count, byte[] body) implements RtcpPacket {
        /** Copies the body. */
        public Unknown {
            body = body.clone();
        }

        /** @return a copy of the body */
        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.type == type && u.count == count && Arrays.equals(u.body, body);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "Unknown{type=" + type + " count=" + count + " " + body.length + " bytes}";
        }
    }
}
