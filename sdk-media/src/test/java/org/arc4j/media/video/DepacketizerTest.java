package org.arc4j.media.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.arc4j.media.rtp.JitterBuffer;
import org.arc4j.media.rtp.RtpPacket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class DepacketizerTest {
    private final List<AccessUnit> units = new ArrayList<>();
    private final List<VideoInvalid> invalid = new ArrayList<>();
    private final Depacketizer.Sink sink = new Depacketizer.Sink() {
        @Override
        public void accessUnit(AccessUnit unit) {
            units.add(unit);
        }

        @Override
        public void invalid(VideoInvalid i) {
            invalid.add(i);
        }
    };

    private Depacketizer depacketizer(VideoCodec codec, List<byte[]> sets) {
        return codec == VideoCodec.H264 ? new H264Depacketizer(sets, H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT, sink)
                : new H265Depacketizer(sets, H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT, sink);
    }

    static List<AccessUnit> ffmpegUnits(VideoCodec codec) {
        byte[] es = codec == VideoCodec.H264 ? FfmpegPeer.testPattern("libx264", "h264", "-pix_fmt", "yuv420p")
                : FfmpegPeer.testPattern("libx265", "hevc", "-pix_fmt", "yuv420p");
        return TestPacketizer.accessUnits(codec, es, 0xFFFF_0000L);
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void ffmpegStreamRoundTripsThroughRtp(VideoCodec codec) {
        List<AccessUnit> sent = ffmpegUnits(codec);
        assertThat(sent).hasSize(50);
        assertThat(sent.stream().filter(AccessUnit::isKey).count()).isEqualTo(2);
        for (int mtu : new int[] {100, 600, 1400}) {
            units.clear();
            TestPacketizer p = new TestPacketizer(codec, mtu, 65500);
            Depacketizer d = depacketizer(codec, List.of());
            for (AccessUnit au : sent) {
                p.packetize(au, mtu > 100).forEach(d::receive);
            }
            assertThat(invalid).isEmpty();
            assertThat(units).as("mtu %d", mtu).containsExactlyElementsOf(sent);
        }
        FrameRateEstimator fps = new FrameRateEstimator(32);
        units.forEach(u -> fps.add(u.timestamp()));
        assertThat(fps.framesPerSecond().getAsDouble()).isEqualTo(25.0);
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void parameterSetsFromSdpGoInFrontOfKeyPictures(VideoCodec codec) {
        List<AccessUnit> sent = ffmpegUnits(codec);
        List<byte[]> sets = new ArrayList<>();
        List<AccessUnit> stripped = new ArrayList<>();
        for (AccessUnit au : sent) {
            List<byte[]> keep = new ArrayList<>();
            for (int i = 0; i < au.nalUnitCount(); i++) {
                byte[] n = au.nalUnit(i);
                if (codec.isParameterSet(codec.nalType(n))) {
                    if (sets.size() < (codec == VideoCodec.H264 ? 2 : 3)) {
                        sets.add(n);
                    }
                } else {
                    keep.add(n);
                }
            }
            stripped.add(new AccessUnit(codec, au.timestamp(), keep, true));
        }
        String sdp = String.join(",", sets.stream().map(s -> java.util.Base64.getEncoder().encodeToString(s))
                .toList()) + ",not base64!";
        Depacketizer d = depacketizer(codec, SpropParameterSets.decode(sdp));
        TestPacketizer p = new TestPacketizer(codec, 1400, 1);
        stripped.forEach(au -> p.packetize(au, true).forEach(d::receive));
        assertThat(units).containsExactlyElementsOf(sent);
        assertThat(d.parameterSets()).hasSize(sets.size());
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void lossReorderingDuplicationAndTruncationNeverThrowAndResync(VideoCodec codec) {
        List<AccessUnit> sent = ffmpegUnits(codec);
        Map<Long, AccessUnit> byTs = new HashMap<>();
        sent.forEach(a -> byTs.put(a.timestamp(), a));
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("DepacketizerTest " + codec + " seed " + seed);
        Random r = new Random(seed);
        for (int round = 0; round < Integer.getInteger("arc4j.rounds", 20); round++) {
            units.clear();
            invalid.clear();
            TestPacketizer p = new TestPacketizer(codec, 200 + r.nextInt(1200), r.nextInt(65536));
            List<RtpPacket> packets = new ArrayList<>();
            sent.forEach(au -> packets.addAll(p.packetize(au, r.nextBoolean())));
            List<RtpPacket> wire = new ArrayList<>();
            java.util.Set<Long> truncated = new java.util.HashSet<>();
            int lossFrom = 25 * (packets.size() / 50);
            for (int i = 0; i < packets.size(); i++) {
                RtpPacket pk = packets.get(i);
                // damage only the first second so the second second must come out whole after resync
                boolean damage = i < lossFrom;
                if (damage && r.nextInt(15) == 0) {
                    continue;
                }
                if (damage && r.nextInt(30) == 0) {
                    byte[] pay = pk.payload();
                    pk = new RtpPacket(pk.marker(), 96, pk.sequence(), pk.timestamp(), pk.ssrc(), 0,
                            java.util.Arrays.copyOf(pay, r.nextInt(pay.length + 1)));
                    // a shortened single NAL unit packet cannot be told from a short NAL unit
                    truncated.add(pk.timestamp());
                }
                wire.add(pk);
                if (damage && r.nextInt(20) == 0) {
                    wire.add(pk);
                }
            }
            for (int i = 0; i + 1 < wire.size(); i++) {
                if (r.nextInt(10) == 0) {
                    Collections.swap(wire, i, i + 1);
                }
            }
            Depacketizer d = depacketizer(codec, List.of());
            JitterBuffer jb = new JitterBuffer(8, 90_000, d::receive);
            wire.forEach(pk -> jb.offer(pk, 0));
            jb.flush();
            d.flush();
            for (AccessUnit u : units) {
                AccessUnit original = byTs.get(u.timestamp());
                assertThat(original).as("seed %d", seed).isNotNull();
                // nothing precedes the first packet received, so a loss at the very start cannot be noticed
                boolean first = u.timestamp() == sent.get(0).timestamp();
                if (u.isIntact() && !truncated.contains(u.timestamp()) && !first) {
                    assertThat(u).as("seed %d round %d", seed, round).isEqualTo(original);
                }
            }
            // everything after the damaged first second comes out whole
            List<AccessUnit> tail = units.stream().filter(u -> sent.indexOf(byTs.get(u.timestamp())) >= 26).toList();
            assertThat(tail).as("seed %d round %d", seed, round).containsExactlyElementsOf(sent.subList(26, 50));
        }
    }

    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void randomPayloadsNeverThrow(VideoCodec codec) {
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("DepacketizerTest random " + codec + " seed " + seed);
        Random r = new Random(seed);
        Depacketizer d = depacketizer(codec, List.of());
        for (int i = 0; i < 50_000; i++) {
            byte[] p = new byte[r.nextInt(12)];
            r.nextBytes(p);
            d.receive(new RtpPacket(r.nextInt(4) == 0, 96, r.nextInt(3) == 0 ? r.nextInt(65536) : i & 0xFFFF,
                    i / 5, 1, 0, p));
        }
        d.flush();
        assertThat(invalid).as("seed %d", seed).isNotEmpty();
        assertThat(units).as("seed %d", seed).allSatisfy(u -> assertThat(u.size()).isLessThan(50_000 * 12));
    }

    private static RtpPacket rtp(int seq, long ts, boolean marker, int... payload) {
        byte[] b = new byte[payload.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) payload[i];
        }
        return new RtpPacket(marker, 96, seq, ts, 1, 0, b);
    }

    private VideoError only(Depacketizer d, RtpPacket... packets) {
        invalid.clear();
        for (RtpPacket p : packets) {
            d.receive(p);
        }
        assertThat(invalid).hasSize(1);
        return invalid.get(0).error();
    }

    @Test
    void h264BrokenPacketsGiveTheExactError() {
        Depacketizer d = depacketizer(VideoCodec.H264, List.of());
        assertThat(only(d, rtp(1, 0, false, 0x7C, 0xC5, 1))).isEqualTo(VideoError.BAD_FRAGMENT_HEADER);
        assertThat(only(d, rtp(2, 0, false, 0xFC, 0x85, 1))).isEqualTo(VideoError.BAD_NAL_HEADER);
        assertThat(only(d, rtp(3, 0, false, 0x7C, 0x05, 1))).isEqualTo(VideoError.FRAGMENT_WITHOUT_START);
        assertThat(only(d, rtp(4, 0, false, 0x7C, 0x85, 1), rtp(6, 0, true, 0x7C, 0x45, 3)))
                .isEqualTo(VideoError.FRAGMENT_LOST);
        assertThat(only(d, rtp(7, 10, false, 0x78, 0, 3, 0x65, 1, 2, 0, 9, 0x41)))
                .isEqualTo(VideoError.AGGREGATE_TRUNCATED);
        assertThat(only(d, rtp(8, 10, false, 0x79, 0, 3))).isEqualTo(VideoError.UNSUPPORTED_PACKET);
        assertThat(only(d, rtp(9, 10, false, 0x7E, 0, 3))).isEqualTo(VideoError.BAD_NAL_HEADER);
        assertThat(only(d, rtp(10, 10, false))).isEqualTo(VideoError.TOO_SHORT);
        assertThat(only(d, rtp(11, 10, false, 0x7C, 0x9C, 1))).isEqualTo(VideoError.BAD_NAL_HEADER);
        // after all that, a start fragment resynchronises
        units.clear();
        d.receive(rtp(12, 20, false, 0x7C, 0x85, 1, 2));
        d.receive(rtp(13, 20, false, 0x7C, 0x05, 3));
        d.receive(rtp(14, 20, true, 0x7C, 0x45, 4));
        assertThat(units).hasSize(1);
        assertThat(units.get(0).isIntact()).isTrue();
        assertThat(units.get(0).nalUnit(0)).containsExactly(0x65, 1, 2, 3, 4);
        assertThat(units.get(0).isKey()).isTrue();
    }

    @Test
    void h265BrokenPacketsGiveTheExactError() {
        Depacketizer d = depacketizer(VideoCodec.H265, List.of());
        assertThat(only(d, rtp(1, 0, false, 0x62, 0x01, 0xD3, 1))).isEqualTo(VideoError.BAD_FRAGMENT_HEADER);
        assertThat(only(d, rtp(2, 0, false, 0x62, 0x00, 0x93, 1))).isEqualTo(VideoError.BAD_NAL_HEADER);
        assertThat(only(d, rtp(3, 0, false, 0x62, 0x01, 0x13, 1))).isEqualTo(VideoError.FRAGMENT_WITHOUT_START);
        assertThat(only(d, rtp(4, 0, false, 0x62, 0x01, 0x93, 1), rtp(6, 0, true, 0x62, 0x01, 0x53, 1)))
                .isEqualTo(VideoError.FRAGMENT_LOST);
        assertThat(only(d, rtp(7, 10, false, 0x60, 0x01, 0, 9, 0x26, 1))).isEqualTo(VideoError.AGGREGATE_TRUNCATED);
        assertThat(only(d, rtp(8, 10, false, 0x64, 0x01, 0))).isEqualTo(VideoError.UNSUPPORTED_PACKET);
        assertThat(only(d, rtp(9, 10, false, 0x62, 0x01, 0xB3, 1))).isEqualTo(VideoError.BAD_NAL_HEADER);
        units.clear();
        d.receive(rtp(10, 20, false, 0x62, 0x01, 0x93, 1));
        d.receive(rtp(11, 20, true, 0x62, 0x01, 0x53, 2));
        assertThat(units.get(units.size() - 1).nalUnit(0)).containsExactly(0x26, 0x01, 1, 2);
        assertThat(units.get(units.size() - 1).isKey()).isTrue();
    }

    @Test
    void anAccessUnitOverTheBoundIsDropped() {
        H264Depacketizer d = new H264Depacketizer(List.of(), 100, sink);
        d.receive(rtp(1, 0, false, 0x7C, 0x85, new byte[0].length));
        byte[] big = new byte[60];
        big[0] = 0x7C;
        big[1] = 0x05;
        d.receive(new RtpPacket(false, 96, 2, 0, 1, 0, big));
        d.receive(new RtpPacket(true, 96, 3, 0, 1, 0, big));
        assertThat(invalid).extracting(VideoInvalid::error).containsExactly(VideoError.TOO_LARGE);
        assertThat(units).isEmpty();
        d.receive(rtp(4, 3600, true, 0x41, 0x9A));
        assertThat(units).hasSize(1);
    }
}
