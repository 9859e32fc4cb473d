package org.arc4j.media.ps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arc4j.media.rtp.JitterBuffer;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.FfmpegPeer;
import org.arc4j.media.video.Sps;
import org.arc4j.media.video.SpsParser;
import org.arc4j.media.video.SpsResult;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PsDemuxerTest {
    private final List<AccessUnit> video = new ArrayList<>();
    private final List<PsStreamType> videoTypes = new ArrayList<>();
    private final List<byte[]> audio = new ArrayList<>();
    private final List<Long> audioPts = new ArrayList<>();
    private final List<PsInvalid> invalid = new ArrayList<>();

    private PsDemuxer demuxer() {
        return new PsDemuxer(PsDemuxer.DEFAULT_MAX_ACCESS_UNIT, new PsDemuxer.Sink() {
            @Override
            public void video(PsStreamType type, AccessUnit unit) {
                videoTypes.add(type);
                video.add(unit);
            }

            @Override
            public void audio(PsStreamType type, long pts, byte[] data) {
                audio.add(data);
                audioPts.add(pts);
            }

            @Override
            public void invalid(PsInvalid i) {
                invalid.add(i);
            }
        });
    }

    private static void feedInPieces(PsDemuxer d, byte[] stream, Random r, int maxPiece) {
        int at = 0;
        while (at < stream.length) {
            int n = Math.min(stream.length - at, 1 + r.nextInt(maxPiece));
            d.feed(stream, at, n);
            at += n;
        }
    }

    @ParameterizedTest
    @CsvSource({"libx264, vob, H264", "libx265, vob, H265", "libx264, mpeg, H264", "libx265, mpeg, H265"})
    void ffmpegProgramStreamsWithoutMap(String encoder, String format, PsStreamType type) {
        byte[] ps = FfmpegPeer.testPattern(encoder, format, "-pix_fmt", "yuv420p");
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("PsDemuxerTest seed " + seed);
        PsDemuxer d = demuxer();
        feedInPieces(d, ps, new Random(seed), 1400);
        d.flush();
        assertThat(invalid).as("seed %d", seed).isEmpty();
        assertThat(video).hasSize(50);
        assertThat(videoTypes).containsOnly(type);
        assertThat(video.get(0).isKey()).isTrue();
        assertThat(video.stream().filter(AccessUnit::isKey).count()).isEqualTo(2);
        for (int i = 1; i < video.size(); i++) {
            // PTS in display order: B-frames make the differences vary, but all are whole frames at 25 fps
            assertThat((video.get(i).timestamp() - video.get(0).timestamp()) % 3600).isZero();
        }
        VideoCodec codec = type.videoCodec().orElseThrow();
        byte[] sps = null;
        for (int i = 0; i < video.get(0).nalUnitCount(); i++) {
            if (codec.nalType(video.get(0).nalUnit(i)) == codec.spsType()) {
                sps = video.get(0).nalUnit(i);
            }
        }
        Sps s = ((SpsResult.Valid) SpsParser.INSTANCE.parse(codec, sps)).sps();
        assertThat(s.width()).isEqualTo(320);
        assertThat(s.height()).isEqualTo(240);
        // and the NAL units are exactly the elementary stream's
        String esFormat = codec == VideoCodec.H264 ? "h264" : "hevc";
        List<AccessUnit> es = FfmpegPeer.accessUnits(codec, FfmpegPeer.testPattern(encoder, esFormat, "-pix_fmt",
                "yuv420p"), 0);
        for (int i = 0; i < 50; i++) {
            assertThat(video.get(i).toAnnexB()).isEqualTo(es.get(i).toAnnexB());
        }
    }

    private List<AccessUnit> units(VideoCodec codec) {
        byte[] es = codec == VideoCodec.H264 ? FfmpegPeer.testPattern("libx264", "h264", "-pix_fmt", "yuv420p")
                : FfmpegPeer.testPattern("libx265", "hevc", "-pix_fmt", "yuv420p");
        // start near the 33-bit wrap so the PTS arithmetic is exercised
        return FfmpegPeer.accessUnits(codec, es, (1L << 33) - 3600 * 10);
    }

    private static byte[] g711(int i) {
        byte[] b = new byte[320];
        java.util.Arrays.fill(b, (byte) i);
        return b;
    }

    private static byte[] mux(PsMuxer m, List<AccessUnit> units, boolean withAudio) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < units.size(); i++) {
            out.writeBytes(m.video(units.get(i)));
            if (withAudio) {
                out.writeBytes(m.audio(units.get(i).timestamp() & ((1L << 33) - 1), g711(i)));
            }
        }
        return out.toByteArray();
    }

    private static List<AccessUnit> wrapped(List<AccessUnit> units) {
        List<AccessUnit> out = new ArrayList<>();
        for (AccessUnit u : units) {
            List<byte[]> nals = new ArrayList<>();
            for (int i = 0; i < u.nalUnitCount(); i++) {
                nals.add(u.nalUnit(i));
            }
            out.add(new AccessUnit(u.codec(), u.timestamp() & ((1L << 33) - 1), nals, true));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"H264", "H265"})
    void muxerOutputRoundTripsAndFfprobeReadsIt(PsStreamType type, @TempDir Path dir) throws IOException {
        VideoCodec codec = type.videoCodec().orElseThrow();
        List<AccessUnit> units = units(codec);
        byte[] ps = mux(new PsMuxer(type, PsStreamType.G711A), units, true);
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("PsDemuxerTest seed " + seed);
        PsDemuxer d = demuxer();
        feedInPieces(d, ps, new Random(seed), 1400);
        d.flush();
        assertThat(invalid).isEmpty();
        assertThat(video).containsExactlyElementsOf(wrapped(units));
        assertThat(d.streamType(PsMuxer.VIDEO_STREAM_ID)).contains(type);
        assertThat(d.streamType(PsMuxer.AUDIO_STREAM_ID)).contains(PsStreamType.G711A);
        assertThat(audio).hasSize(50);
        assertThat(audio.get(7)).isEqualTo(g711(7));
        assertThat(audioPts.get(7)).isEqualTo(units.get(7).timestamp() & ((1L << 33) - 1));

        Path file = dir.resolve("out.ps");
        Files.write(file, mux(new PsMuxer(type, null), units, false));
        String report = FfmpegPeer.probe(file);
        assertThat(report).contains("codec_name=" + (codec == VideoCodec.H264 ? "h264" : "hevc"));
        assertThat(report).contains("nb_read_frames=50");
        assertThat(report).contains("width=320").contains("height=240");
    }

    @Test
    void aBigAccessUnitSpansSeveralPesPackets() {
        byte[] big = new byte[200_000];
        new Random(1).nextBytes(big);
        for (int i = 0; i < big.length; i++) {
            if (big[i] == 0) {
                big[i] = 1;
            }
        }
        big[0] = 0x65;
        AccessUnit key = new AccessUnit(VideoCodec.H264, 90_000, List.of(new byte[] {0x67, 0x42, 0, 0x1E},
                new byte[] {0x68, (byte) 0xCE}, big), true);
        AccessUnit next = new AccessUnit(VideoCodec.H264, 93_600, List.of(new byte[] {0x41, (byte) 0x9A, 1}), true);
        PsMuxer m = new PsMuxer(PsStreamType.H264, null);
        PsDemuxer d = demuxer();
        byte[] a = m.video(key);
        byte[] b = m.video(next);
        d.feed(a, 0, a.length);
        d.feed(b, 0, b.length);
        d.flush();
        assertThat(video).containsExactly(key, next);
        assertThat(invalid).isEmpty();
    }

    @Test
    void anAlignedPictureIsHandedOnWhenTheNextPackBegins() {
        List<AccessUnit> units = wrapped(units(VideoCodec.H264));
        PsMuxer m = new PsMuxer(PsStreamType.H264, null);
        PsDemuxer d = demuxer();
        for (int i = 0; i < units.size(); i++) {
            byte[] pack = m.video(units.get(i));
            d.feed(pack, 0, pack.length);
            // pack i completes picture i - 1's PES (a packet is taken once three bytes after it are here), whose
            // aligned PTS closes picture i - 2 at once, without waiting for picture i - 1's slice to end
            assertThat(video).as("after pack %d", i).hasSize(Math.max(0, i - 1));
        }
        d.flush();
        assertThat(video).containsExactlyElementsOf(units);
    }

    @Test
    void wrongPsmCrcIsToleratedAndTheMapUsed() {
        List<AccessUnit> units = units(VideoCodec.H265).subList(0, 3);
        byte[] ps = mux(new PsMuxer(PsStreamType.H265, PsStreamType.G711U), units, true);
        int psm = indexOf(ps, new byte[] {0, 0, 1, (byte) 0xBC});
        int crcAt = psm + 6 + ((ps[psm + 4] & 0xFF) << 8 | ps[psm + 5] & 0xFF) - 1;
        ps[crcAt] ^= 0x5A;
        PsDemuxer d = demuxer();
        d.feed(ps, 0, ps.length);
        d.flush();
        assertThat(invalid).extracting(PsInvalid::error).containsExactly(PsError.PSM_CRC);
        assertThat(invalid.get(0).offset()).isEqualTo(psm);
        assertThat(video).hasSize(3);
        assertThat(audio).hasSize(3);
        assertThat(d.streamType(PsMuxer.AUDIO_STREAM_ID)).contains(PsStreamType.G711U);
    }

    static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private List<PsError> errorsAfterCorrupting(int at, int value) {
        List<AccessUnit> units = units(VideoCodec.H264).subList(0, 4);
        byte[] ps = mux(new PsMuxer(PsStreamType.H264, null), units, false);
        ps[at] = (byte) value;
        invalid.clear();
        video.clear();
        PsDemuxer d = demuxer();
        d.feed(ps, 0, ps.length);
        d.flush();
        return invalid.stream().map(PsInvalid::error).toList();
    }

    @Test
    void oneByteCorruptionsGiveTheExactError() {
        // pack header: a marker bit of the SCR
        assertThat(errorsAfterCorrupting(4, 0x40)).containsExactly(PsError.BAD_PACK_HEADER, PsError.GARBAGE);
        // pack header: neither MPEG-1 nor MPEG-2
        assertThat(errorsAfterCorrupting(4, 0x00)).containsExactly(PsError.BAD_PACK_HEADER, PsError.GARBAGE);
        byte[] first = new PsMuxer(PsStreamType.H264, null).video(units(VideoCodec.H264).get(0));
        int psm = indexOf(first, new byte[] {0, 0, 1, (byte) 0xBC});
        int pes = indexOf(first, new byte[] {0, 0, 1, (byte) 0xE0});
        assertThat(psm).isEqualTo(14 + 15);
        // an elementary_stream_info_length running past the map
        assertThat(errorsAfterCorrupting(psm + 14, 0x40)).containsExactly(PsError.BAD_PSM);
        // '10' bits of the PES header flags: read as MPEG-1, whose header this is not
        assertThat(errorsAfterCorrupting(pes + 6, 0x04)).containsExactly(PsError.BAD_PES_HEADER, PsError.GARBAGE);
        // PES_header_data_length too short for the PTS its flags announce
        assertThat(errorsAfterCorrupting(pes + 8, 0x02)).containsExactly(PsError.BAD_PES_HEADER, PsError.GARBAGE);
        // a PTS marker bit
        assertThat(errorsAfterCorrupting(pes + 9, 0x20)).containsExactly(PsError.BAD_PES_HEADER, PsError.GARBAGE);
        // a start code that is not a system start code
        assertThat(errorsAfterCorrupting(3, 0x42)).containsExactly(PsError.GARBAGE);
    }

    @Test
    void garbageBetweenPacksIsSkippedAndTheRestComesThrough() {
        List<AccessUnit> units = wrapped(units(VideoCodec.H264));
        PsMuxer m = new PsMuxer(PsStreamType.H264, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < units.size(); i++) {
            if (i == 10) {
                out.writeBytes(new byte[] {0, 0, 1, (byte) 0xE0, 9, 9, 0x12, 0x34, 0, 0, 0});
            }
            out.writeBytes(m.video(units.get(i)));
        }
        PsDemuxer d = demuxer();
        byte[] ps = out.toByteArray();
        d.feed(ps, 0, ps.length);
        d.flush();
        assertThat(invalid).extracting(PsInvalid::error).containsExactly(PsError.TRUNCATED, PsError.GARBAGE);
        // the picture the garbage cut into comes out marked damaged, all others intact
        assertThat(video.stream().filter(AccessUnit::isIntact).count()).isGreaterThanOrEqualTo(48);
        assertThat(video.subList(video.size() - 30, video.size())).containsExactlyElementsOf(units.subList(20, 50));
    }

    @Test
    void mutatedStreamsNeverThrow() {
        byte[] good = mux(new PsMuxer(PsStreamType.H264, PsStreamType.AAC), units(VideoCodec.H264).subList(0, 8),
                true);
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("PsDemuxerTest seed " + seed);
        Random r = new Random(seed);
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            for (int k = 1 + r.nextInt(30); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? r.nextInt(256) : 0);
            }
            invalid.clear();
            video.clear();
            PsDemuxer d = demuxer();
            feedInPieces(d, b, r, 3000);
            d.flush();
            assertThat(invalid).as("seed %d", seed).allSatisfy(e -> assertThat(e.offset()).isBetween(0L,
                    (long) b.length));
            // whatever survives is bounded by what went in
            assertThat(video.stream().mapToLong(AccessUnit::size).sum()).as("seed %d", seed).isLessThan(b.length);
        }
    }

    @Test
    void rtpLossReorderingDuplicationAndTruncationNeverThrowAndResync() {
        List<AccessUnit> units = wrapped(units(VideoCodec.H265));
        byte[] ps = mux(new PsMuxer(PsStreamType.H265, PsStreamType.G711A), units, true);
        int key2 = 1;
        while (!units.get(key2).isKey()) {
            key2++;
        }
        int secondKey = key2;
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("PsDemuxerTest seed " + seed);
        Random r = new Random(seed);
        for (int round = 0; round < Integer.getInteger("arc4j.rounds", 20); round++) {
            video.clear();
            invalid.clear();
            // GB/T 28181: each pack cut into RTP payloads of at most 1400 bytes, PT 96, marker on its last
            PsRtpPacketizer packetizer = new PsRtpPacketizer(5, r.nextInt(65536), 1400);
            PsMuxer m = new PsMuxer(PsStreamType.H265, PsStreamType.G711A);
            List<RtpPacket> packets = new ArrayList<>();
            int clean = -1;
            for (int i = 0; i < units.size(); i++) {
                if (i == secondKey) {
                    clean = packets.size();
                }
                long pts = units.get(i).timestamp();
                List<RtpPacket> pack = packetizer.packetize(m.video(units.get(i)), pts);
                assertThat(pack.get(pack.size() - 1).marker()).isTrue();
                assertThat(pack.stream().filter(RtpPacket::marker).count()).isEqualTo(1);
                assertThat(pack).allSatisfy(p -> assertThat(p.timestamp()).isEqualTo(pts & 0xFFFFFFFFL));
                packets.addAll(pack);
                packets.addAll(packetizer.packetize(m.audio(pts, g711(i)), pts));
            }
            assertThat(packets.stream().mapToInt(RtpPacket::payloadLength).sum()).isEqualTo(ps.length);
            // damage only what comes before the second key picture: a stream cannot be decoded, nor identified,
            // before one
            List<RtpPacket> wire = new ArrayList<>();
            for (int i = 0; i < packets.size(); i++) {
                RtpPacket p = packets.get(i);
                if (i < clean && r.nextInt(12) == 0) {
                    continue;
                }
                if (i < clean && r.nextInt(20) == 0) {
                    byte[] pay = p.payload();
                    if (r.nextBoolean()) {
                        pay = java.util.Arrays.copyOf(pay, r.nextInt(pay.length));
                    } else {
                        pay[r.nextInt(pay.length)] = (byte) r.nextInt(256);
                    }
                    p = new RtpPacket(false, 96, p.sequence(), p.timestamp(), 5, 0, pay);
                }
                wire.add(p);
                if (i < clean && r.nextInt(20) == 0) {
                    wire.add(p);
                }
            }
            for (int i = 0; i + 1 < wire.size(); i++) {
                if (r.nextInt(8) == 0) {
                    java.util.Collections.swap(wire, i, i + 1);
                }
            }
            PsDemuxer d = demuxer();
            JitterBuffer jb = new JitterBuffer(8, 90_000, p -> {
                byte[] pay = p.payload();
                d.feed(pay, 0, pay.length);
            });
            wire.forEach(p -> jb.offer(p, 0));
            jb.flush();
            d.flush();
            assertThat(video).as("seed %d round %d %s", seed, round, invalid).isNotEmpty();
            // after the second key picture all comes out whole; the key picture itself may take in a NAL unit
            // that a changed byte just before it made look like the start of an access unit
            List<AccessUnit> tail = video.subList(Math.max(0, video.size() - (49 - secondKey)), video.size());
            assertThat(tail).as("seed %d round %d %s", seed, round, invalid)
                    .containsExactlyElementsOf(units.subList(secondKey + 1, 50));
            java.util.Set<Long> nearKey = new java.util.HashSet<>();
            units.subList(secondKey - 3, secondKey + 1).forEach(u -> nearKey.add(u.timestamp()));
            assertThat(video.stream().filter(u -> u.isKey() && nearKey.contains(u.timestamp())))
                    .as("seed %d round %d %s", seed, round, invalid).hasSize(1);
        }
    }
}
