package org.arc4j.media.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arc4j.media.rtcp.RtcpCodec;
import org.arc4j.media.rtcp.RtcpDecodeResult;
import org.arc4j.media.rtcp.RtcpPacket;
import org.arc4j.media.rtcp.RtpClockMapping;
import org.arc4j.media.rtp.JitterBuffer;
import org.arc4j.media.rtp.RtpDecodeResult;
import org.arc4j.media.rtp.RtpPacket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ffmpeg's own RTP packetiser (RFC 6184 / RFC 7798) and RTCP sender reports as the real peer: the stream is sent to
 * a local UDP port pair, the parameter sets come only from the SDP ffmpeg writes (global headers), and the sender
 * report maps RTP time to wall-clock time.
 */
class FfmpegRtpPeerTest {
    @ParameterizedTest
    @EnumSource(VideoCodec.class)
    void ffmpegRtpStreamDepacketisesWithSdpParameterSets(VideoCodec codec, @TempDir Path dir) throws Exception {
        FfmpegPeer.require();
        DatagramSocket[] pair = evenPortPair();
        try (DatagramSocket rtpSocket = pair[0]; DatagramSocket rtcpSocket = pair[1]) {
            int port = rtpSocket.getLocalPort();
            Path sdp = dir.resolve("out.sdp");
            List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                    "testsrc=size=320x240:rate=25", "-t", "2", "-pix_fmt", "yuv420p", "-g", "25",
                    "-flags", "+global_header", "-c:v", codec == VideoCodec.H264 ? "libx264" : "libx265"));
            if (codec == VideoCodec.H265) {
                cmd.addAll(List.of("-x265-params", "log-level=error"));
            }
            cmd.addAll(List.of("-f", "rtp", "-payload_type", "96", "-ssrc", "305419896", "-sdp_file", sdp.toString(),
                    "rtp://127.0.0.1:" + port + "?pkt_size=1200"));
            Instant before = Instant.now();
            FfmpegPeer.run(cmd);
            Instant after = Instant.now();

            String sdpText = Files.readString(sdp, StandardCharsets.US_ASCII);
            List<byte[]> sets = codec == VideoCodec.H264 ? SpropParameterSets.decode(fmtp(sdpText,
                    "sprop-parameter-sets"))
                    : SpropParameterSets.decodeH265(fmtp(sdpText, "sprop-vps"), fmtp(sdpText, "sprop-sps"),
                    fmtp(sdpText, "sprop-pps"));
            assertThat(sets).hasSize(codec == VideoCodec.H264 ? 2 : 3);

            List<AccessUnit> units = new ArrayList<>();
            List<VideoInvalid> invalid = new ArrayList<>();
            Depacketizer.Sink sink = new Depacketizer.Sink() {
                @Override
                public void accessUnit(AccessUnit unit) {
                    units.add(unit);
                }

                @Override
                public void invalid(VideoInvalid i) {
                    invalid.add(i);
                }
            };
            Depacketizer d = codec == VideoCodec.H264
                    ? new H264Depacketizer(sets, H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT, sink)
                    : new H265Depacketizer(sets, H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT, sink);
            JitterBuffer jb = new JitterBuffer(16, 90_000, d::receive);
            for (byte[] datagram : drain(rtpSocket)) {
                RtpPacket p = ((RtpDecodeResult.Valid) RtpPacket.decode(datagram, 0, datagram.length)).packet();
                assertThat(p.payloadType()).isEqualTo(96);
                jb.offer(p, System.nanoTime());
            }
            jb.flush();
            d.flush();
            assertThat(invalid).isEmpty();
            assertThat(jb.statistics().cumulativeLost()).isZero();
            assertThat(units).hasSize(50);
            assertThat(units).allSatisfy(u -> assertThat(u.isIntact()).isTrue());
            assertThat(units.stream().filter(AccessUnit::isKey).count()).isEqualTo(2);
            // the key pictures carry the SDP parameter sets in front, as ffmpeg sent none in-band
            AccessUnit key = units.get(0);
            assertThat(codec.isParameterSet(key.nalTypes()[0])).isTrue();
            byte[] sps = sets.get(codec == VideoCodec.H264 ? 0 : 1);
            Sps s = ((SpsResult.Valid) SpsParser.INSTANCE.parse(codec, sps)).sps();
            assertThat(s.width()).isEqualTo(320);
            assertThat(s.height()).isEqualTo(240);
            FrameRateEstimator fps = new FrameRateEstimator(64);
            units.forEach(u -> fps.add(u.timestamp()));
            assertThat(fps.framesPerSecond().getAsDouble()).isEqualTo(25.0);

            // the sender report puts the first picture at wall-clock time while ffmpeg ran
            RtcpPacket.SenderReport sr = null;
            for (byte[] datagram : drain(rtcpSocket)) {
                RtcpDecodeResult r = RtcpCodec.INSTANCE.decode(datagram, 0, datagram.length);
                assertThat(r).isInstanceOf(RtcpDecodeResult.Valid.class);
                for (RtcpPacket p : ((RtcpDecodeResult.Valid) r).packets()) {
                    if (p instanceof RtcpPacket.SenderReport report && sr == null) {
                        sr = report;
                    }
                }
            }
            assertThat(sr).isNotNull();
            assertThat(sr.ssrc()).isEqualTo(305419896L);
            Instant first = RtpClockMapping.of(sr, 90_000).wallClock(units.get(0).timestamp());
            assertThat(first).isBetween(before.minus(Duration.ofSeconds(5)), after.plus(Duration.ofSeconds(5)));
        }
    }

    private static String fmtp(String sdp, String name) {
        Matcher m = Pattern.compile(name + "=([A-Za-z0-9+/=,]+)").matcher(sdp);
        return m.find() ? m.group(1) : null;
    }

    /** What arrived; the datagrams are already queued in the socket buffer since ffmpeg has exited. */
    private static List<byte[]> drain(DatagramSocket s) throws IOException {
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[65536];
        s.setSoTimeout(200);
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException end) {
                return out;
            }
            out.add(Arrays.copyOf(buf, p.getLength()));
        }
    }

    private static DatagramSocket[] evenPortPair() throws IOException {
        Random r = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20000 + 2 * r.nextInt(20000);
            DatagramSocket a = null;
            try {
                a = new DatagramSocket(null);
                a.setReceiveBufferSize(4 << 20);
                a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                DatagramSocket b = new DatagramSocket(null);
                b.setReceiveBufferSize(1 << 20);
                b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
                return new DatagramSocket[] {a, b};
            } catch (IOException taken) {
                if (a != null) {
                    a.close();
                }
            }
        }
        throw new IOException("no free even UDP port pair");
    }
}
