package org.arc4j.media.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpsParserTest {
    private static final SpsParser PARSER = SpsParser.INSTANCE;

    /** Writes bits and exp-Golomb codes, then inserts emulation prevention bytes (§7.4.1). */
    static final class BitWriter {
        private final StringBuilder bits = new StringBuilder();

        BitWriter u(int n, long v) {
            for (int i = n - 1; i >= 0; i--) {
                bits.append((v >> i) & 1);
            }
            return this;
        }

        BitWriter ue(long v) {
            String b = Long.toBinaryString(v + 1);
            bits.append("0".repeat(b.length() - 1)).append(b);
            return this;
        }

        byte[] nal(int... header) {
            bits.append('1');
            while (bits.length() % 8 != 0) {
                bits.append('0');
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int h : header) {
                out.write(h);
            }
            int zeros = 0;
            for (int i = 0; i < bits.length(); i += 8) {
                int v = Integer.parseInt(bits.substring(i, i + 8), 2);
                if (zeros >= 2 && v <= 3) {
                    out.write(3);
                    zeros = 0;
                }
                out.write(v);
                zeros = v == 0 ? zeros + 1 : 0;
            }
            return out.toByteArray();
        }
    }

    /** Baseline 1920x1088 coded, cropped to 1080, VUI 30 fps; sps id 0 and zero fields force emulation bytes. */
    static byte[] h264Sps1080p() {
        return new BitWriter().u(8, 66).u(8, 0).u(8, 40).ue(0) // profile, constraints, level, sps id
                .ue(0).ue(0).ue(0) // log2_max_frame_num, poc type 0, log2_max_poc_lsb
                .ue(1).u(1, 0) // max refs, gaps
                .ue(119).ue(67) // 120 x 68 macroblocks
                .u(1, 1).u(1, 1) // frame_mbs_only, direct_8x8
                .u(1, 1).ue(0).ue(0).ue(0).ue(4) // crop bottom 4 × 2 rows
                .u(1, 1) // vui
                .u(1, 1).u(8, 255).u(16, 1).u(16, 1) // aspect ratio extended SAR 1:1
                .u(1, 0).u(1, 0).u(1, 0) // overscan, video signal, chroma loc
                .u(1, 1).u(32, 1001).u(32, 60000).u(1, 1) // 29.97 fps
                .nal(0x67);
    }

    @Test
    void handMadeH264Sps() {
        byte[] nal = h264Sps1080p();
        SpsResult.Valid v = (SpsResult.Valid) PARSER.parse(VideoCodec.H264, nal);
        assertThat(v.sps().width()).isEqualTo(1920);
        assertThat(v.sps().height()).isEqualTo(1080);
        assertThat(v.sps().profile()).isEqualTo(66);
        assertThat(v.sps().level()).isEqualTo(40);
        assertThat(v.sps().frameRate().getAsDouble()).isCloseTo(29.97, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void handMadeH265SpsWithConformanceWindowAndNoVui() {
        byte[] nal = new BitWriter().u(4, 0).u(3, 0).u(1, 1) // vps id, max sub layers 0, nesting
                .u(2, 0).u(1, 0).u(5, 1).u(32, 0x60000000L).u(48, 0).u(8, 93) // Main, level 3.1
                .ue(0).ue(1) // sps id, 4:2:0
                .ue(1280).ue(736) // coded 1280x736
                .u(1, 1).ue(0).ue(0).ue(0).ue(8) // window: 16 rows off the bottom
                .ue(0).ue(0).ue(4) // bit depths, poc lsb 8 bits
                .u(1, 1).ue(1).ue(0).ue(0) // ordering info for the one sub layer
                .ue(0).ue(3).ue(0).ue(3).ue(0).ue(0) // block sizes, hierarchy depths
                .u(1, 0).u(1, 0).u(1, 1).u(1, 0) // scaling list, amp, sao, pcm
                .ue(1).ue(1).ue(0).ue(0).u(1, 1) // one short-term RPS: one negative picture, used
                .u(1, 0).u(1, 1).u(1, 1) // long-term, tmvp, strong intra
                .u(1, 0) // no VUI
                .nal(0x42, 0x01);
        SpsResult.Valid v = (SpsResult.Valid) PARSER.parse(VideoCodec.H265, nal);
        assertThat(v.sps()).isEqualTo(new Sps(VideoCodec.H265, 1, 93, 1, 1280, 720, OptionalDouble.empty()));
    }

    @Test
    void ffmpegX264And265Sps() {
        for (String pix : new String[] {"yuv420p", "yuv444p"}) {
            byte[] h264 = FfmpegPeer.testPattern("libx264", "h264", "-pix_fmt", pix);
            Sps s = sps(VideoCodec.H264, h264);
            assertThat(s.width()).as(pix).isEqualTo(320);
            assertThat(s.height()).isEqualTo(240);
            assertThat(s.chromaFormat()).isEqualTo(pix.equals("yuv420p") ? 1 : 3);
            assertThat(s.frameRate().getAsDouble()).isEqualTo(25.0);
        }
        byte[] hevc = FfmpegPeer.testPattern("libx265", "hevc", "-pix_fmt", "yuv420p");
        Sps s = sps(VideoCodec.H265, hevc);
        assertThat(s.width()).isEqualTo(320);
        assertThat(s.height()).isEqualTo(240);
        assertThat(s.frameRate().getAsDouble()).isEqualTo(25.0);
    }

    @Test
    void oddSizeIsCropped() {
        byte[] h264 = FfmpegPeer.testPattern("libx264", "h264", "-pix_fmt", "yuv420p", "-vf", "scale=350:198");
        Sps s = sps(VideoCodec.H264, h264);
        assertThat(s.width()).isEqualTo(350);
        assertThat(s.height()).isEqualTo(198);
        byte[] hevc = FfmpegPeer.testPattern("libx265", "hevc", "-pix_fmt", "yuv420p", "-vf", "scale=350:198");
        Sps h = sps(VideoCodec.H265, hevc);
        assertThat(h.width()).isEqualTo(350);
        assertThat(h.height()).isEqualTo(198);
    }

    static Sps sps(VideoCodec codec, byte[] annexB) {
        List<byte[]> nals = AnnexB.INSTANCE.split(annexB, 0, annexB.length);
        byte[] sps = nals.stream().filter(n -> codec.nalType(n) == codec.spsType()).findFirst().orElseThrow();
        return ((SpsResult.Valid) PARSER.parse(codec, sps)).sps();
    }

    @Test
    void truncationAndBadValuesAreTyped() {
        byte[] nal = h264Sps1080p();
        assertThat(PARSER.parse(VideoCodec.H264, java.util.Arrays.copyOf(nal, 5)))
                .isEqualTo(new SpsResult.Invalid(VideoError.SPS_TRUNCATED, "the SPS ends inside its syntax"));
        assertThat(((SpsResult.Invalid) PARSER.parse(VideoCodec.H264, new byte[] {0x68, 1})).error())
                .isEqualTo(VideoError.BAD_NAL_HEADER);
        byte[] badId = new BitWriter().u(8, 66).u(8, 0).u(8, 40).ue(40).nal(0x67);
        assertThat(((SpsResult.Invalid) PARSER.parse(VideoCodec.H264, badId)).error())
                .isEqualTo(VideoError.SPS_BAD_VALUE);
        // cut inside the VUI: the size stands, the frame rate is unknown
        SpsResult.Valid cut = (SpsResult.Valid) PARSER.parse(VideoCodec.H264, java.util.Arrays.copyOf(nal,
                nal.length - 6));
        assertThat(cut.sps().height()).isEqualTo(1080);
        assertThat(cut.sps().frameRate()).isEmpty();
    }

    @Test
    void randomBytesNeverThrow() {
        long seed = Long.getLong("arc4j.seed", new Random().nextLong());
        System.out.println("SpsParserTest seed " + seed);
        Random r = new Random(seed);
        byte[] good = h264Sps1080p();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = java.util.Arrays.copyOf(good, 1 + r.nextInt(good.length + 8));
            for (int k = r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            b[0] = (byte) (i % 2 == 0 ? 0x67 : 0x42);
            VideoCodec c = i % 2 == 0 ? VideoCodec.H264 : VideoCodec.H265;
            if (c == VideoCodec.H265 && b.length > 1) {
                b[1] = 1;
            }
            assertThat(PARSER.parse(c, b)).as("seed %d", seed).isNotNull();
        }
    }

    @Test
    void frameRateFromTimestamps() {
        FrameRateEstimator e = new FrameRateEstimator(16);
        long ts = 0xFFFF_0000L;
        for (int i = 0; i < 30; i++) {
            if (i != 10) {
                e.add(ts & 0xFFFFFFFFL);
            }
            ts += 3600;
        }
        assertThat(e.framesPerSecond().getAsDouble()).isEqualTo(25.0);
        // decoding order with B-pictures: I P B B P B B …, presentation times 0, 3, 1, 2, 6, 4, 5 … frames
        FrameRateEstimator b = new FrameRateEstimator(32);
        int[] order = {0, 3, 1, 2, 6, 4, 5, 9, 7, 8, 12, 10, 11};
        for (int f : order) {
            b.add(0xFFFF_FFFFL & (0xFFFF_8000L + 3000L * f));
        }
        assertThat(b.framesPerSecond().getAsDouble()).isEqualTo(30.0);
        assertThat(new FrameRateEstimator(4).framesPerSecond()).isEmpty();
    }
}
