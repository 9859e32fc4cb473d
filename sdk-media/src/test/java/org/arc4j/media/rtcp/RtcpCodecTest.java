package org.arc4j.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.arc4j.media.rtp.JitterBuffer;
import org.arc4j.media.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

class RtcpCodecTest {
    private static final RtcpCodec CODEC = RtcpCodec.INSTANCE;
    private static final HexFormat HEX = HexFormat.of();

    // SR from 0x11223344 at NTP 0xE9A1B2C3.80000000 with RTP ts 0x00015F90, 10 packets, 1000 octets, one block
    // on 0xAABBCCDD (fraction 0x40, lost -2, ext seq 0x0001FFFF, jitter 17, lsr 0x12345678, dlsr 0x00010000),
    // then SDES CNAME "cam@10.0.0.1" and BYE with reason "done"
    private static final String SR_SDES_BYE = "81c8000c" + "11223344" + "e9a1b2c3" + "80000000" + "00015f90"
            + "0000000a" + "000003e8"
            + "aabbccdd" + "40fffffe" + "0001ffff" + "00000011" + "12345678" + "00010000"
            + "81ca0005" + "11223344" + "010c" + "63616d4031302e302e302e31" + "0000"
            + "81cb0003" + "11223344" + "04" + "646f6e65" + "000000";

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    @Test
    void handMadeCompoundPacketDecodes() {
        byte[] b = bytes(SR_SDES_BYE);
        RtcpDecodeResult.Valid v = (RtcpDecodeResult.Valid) CODEC.decode(b, 0, b.length);
        RtcpPacket.SenderReport sr = (RtcpPacket.SenderReport) v.packets().get(0);
        assertThat(sr.ssrc()).isEqualTo(0x11223344L);
        assertThat(sr.ntp().seconds()).isEqualTo(0xE9A1B2C3L);
        assertThat(sr.rtpTimestamp()).isEqualTo(90000);
        assertThat(sr.blocks()).containsExactly(new ReportBlock(0xAABBCCDDL, 0x40, -2, 0x1FFFF, 17, 0x12345678L,
                0x10000));
        assertThat(v.packets().get(1)).isEqualTo(new RtcpPacket.SourceDescription(List.of(
                new RtcpPacket.SourceDescription.Chunk(0x11223344L, List.of(
                        new RtcpPacket.SourceDescription.Item(RtcpPacket.SourceDescription.CNAME, "cam@10.0.0.1"))))));
        assertThat(v.packets().get(2)).isEqualTo(new RtcpPacket.Goodbye(List.of(0x11223344L), "done"));
        assertThat(HEX.formatHex(CODEC.encode(v.packets()))).isEqualTo(SR_SDES_BYE);
    }

    @Test
    void receiverReportRoundTripsWithAnUnknownPacket() {
        List<RtcpPacket> packets = List.of(
                new RtcpPacket.ReceiverReport(5, List.of(new ReportBlock(6, 0, 0x7FFFFF, 0xFFFFFFFFL, 0, 0, 0),
                        new ReportBlock(7, 255, -0x800000, 0, 0xFFFFFFFFL, 1, 2))),
                new RtcpPacket.SourceDescription(List.of(new RtcpPacket.SourceDescription.Chunk(5, List.of(
                        new RtcpPacket.SourceDescription.Item(1, "abc"),
                        new RtcpPacket.SourceDescription.Item(2, "x"))))),
                new RtcpPacket.Unknown(205, 1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        byte[] b = CODEC.encode(packets);
        assertThat(CODEC.decode(b, 0, b.length)).isEqualTo(new RtcpDecodeResult.Valid(packets));
    }

    @Test
    void oneByteCorruptionsGiveTheExactError() {
        byte[] good = bytes(SR_SDES_BYE);
        assertThat(corrupt(good, 0, 0x41)).isEqualTo(RtcpError.BAD_VERSION);
        assertThat(corrupt(good, 79, 0x04)).isEqualTo(RtcpError.BAD_LENGTH);
        assertThat(corrupt(good, 0, 0xA1)).isEqualTo(RtcpError.BAD_PADDING);
        assertThat(corrupt(good, 1, 0xCA)).isEqualTo(RtcpError.NOT_REPORT_FIRST);
        assertThat(corrupt(good, 0, 0x82)).isEqualTo(RtcpError.BAD_COUNT);
        assertThat(corrupt(good, 52 + 8 + 1, 0x20)).isEqualTo(RtcpError.BAD_SDES);
        RtcpDecodeResult.Invalid i = (RtcpDecodeResult.Invalid) CODEC.decode(good, 0, good.length - 3);
        assertThat(i.error()).isEqualTo(RtcpError.BAD_LENGTH);
        assertThat(i.offset()).isEqualTo(76);
    }

    private static RtcpError corrupt(byte[] good, int at, int value) {
        byte[] b = good.clone();
        b[at] = (byte) value;
        return ((RtcpDecodeResult.Invalid) CODEC.decode(b, 0, b.length)).error();
    }

    @Test
    void randomMutationsNeverThrow() {
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("RtcpCodecTest seed " + seed);
        Random r = new Random(seed);
        byte[] good = bytes(SR_SDES_BYE);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            int len = r.nextInt(5) == 0 ? r.nextInt(b.length + 1) : b.length;
            assertThat(CODEC.decode(b, 0, len)).as("seed %d", seed).isNotNull();
        }
    }

    @Test
    void senderReportGivesAFramesWallClockAcrossTheTimestampWrap() {
        Instant at = Instant.parse("2026-12-04T08:00:00.250Z");
        RtcpPacket.SenderReport sr = new RtcpPacket.SenderReport(1, NtpTimestamp.of(at), 0xFFFF_FFF0L - 90_000L + 16,
                100, 10_000, List.of());
        RtpClockMapping m = RtpClockMapping.of(sr, 90_000);
        assertThat(m.wallClock(0xFFFF_FFF0L - 90_000L + 16)).isEqualTo(at);
        // one second later, past the 32-bit wrap
        assertThat(m.wallClock(0)).isEqualTo(at.plusSeconds(1));
        assertThat(m.wallClock(0xFFFF_FFF0L - 90_000L + 16 - 3600)).isEqualTo(at.minusMillis(40));
        assertThat(NtpTimestamp.of(at).toInstant()).isEqualTo(at);
        assertThat(new NtpTimestamp(0x0000_0001_8000_0000L).toInstant())
                .isEqualTo(Instant.parse("2036-02-07T06:28:17.500Z"));
    }

    @Test
    void receiverReportBlockFromTheJitterBuffer() {
        JitterBuffer jb = new JitterBuffer(0, 90_000, p -> { });
        for (int s = 65530; s < 65546; s++) {
            if (s != 65535 && s != 65540) {
                jb.offer(new RtpPacket(false, 96, s & 0xFFFF, 3600L * s & 0xFFFFFFFFL, 42, 0, new byte[1]), 0);
            }
        }
        ReportBlock rb = ReportBlock.of(jb.intervalReport(), new NtpTimestamp(0xAAAA_1234_5678_BBBBL),
                java.time.Duration.ofMillis(100));
        assertThat(rb).isEqualTo(new ReportBlock(42, 2 * 256 / 16, 2, 65545, rb.jitter(), 0x12345678L, 6553));
        byte[] b = CODEC.encode(List.of(new RtcpPacket.ReceiverReport(9, List.of(rb))));
        assertThat(((RtcpDecodeResult.Valid) CODEC.decode(b, 0, b.length)).packets().get(0))
                .isEqualTo(new RtcpPacket.ReceiverReport(9, List.of(rb)));
    }
}
