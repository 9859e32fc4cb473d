package org.arc4j.benchmarks.media;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.arc4j.media.ps.PsDemuxer;
import org.arc4j.media.ps.PsMuxer;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Depacketizer;
import org.arc4j.media.video.H264Depacketizer;
import org.arc4j.media.video.VideoCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The receive path of GB/T 28181 and RTSP video: one second of a 25 fps H.264 stream (one 60 KB IDR picture with
 * SPS and PPS, 24 P pictures of 6 KB: ≈ 1.7 Mbit/s, a typical 1080p sub-stream) pushed through
 * <ul>
 *   <li>{@code psDemux}: {@link PsDemuxer} fed the program stream in 1,400-byte RTP payloads, as a GB/T 28181
 *       device sends it, to access units;</li>
 *   <li>{@code h264Depacketize}: {@link H264Depacketizer} fed the RFC 6184 FU-A packets (1,400-byte MTU).</li>
 * </ul>
 * One operation is one second of video, so 1 / (seconds per op) is how many such streams one core keeps up with.
 * The pictures are random bytes without start-code emulation, so the start-code scan sees worst-case content.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class VideoPlaneBenchmark {
    private static final int RTP_PAYLOAD = 1400;

    private byte[] ps;
    private List<RtpPacket> rtp;
    private PsDemuxer demuxer;
    private Depacketizer depacketizer;
    private long bytesOut;

    private static byte[] nal(Random r, int header, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        for (int i = 1; i < size; i++) {
            // no 00 bytes: no start code emulation, no emulation prevention needed
            if (b[i] == 0) {
                b[i] = 1;
            }
        }
        b[0] = (byte) header;
        return b;
    }

    /** Builds one second of video, muxed and packetised. */
    @Setup
    public void setup() {
        Random r = new Random(28181);
        List<AccessUnit> units = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            List<byte[]> nals = new ArrayList<>();
            if (i == 0) {
                nals.add(new byte[] {0x67, 0x64, 0x00, 0x28, (byte) 0xAC, 0x2B, 0x40, 0x3C, 0x01, 0x13, (byte) 0xF2});
                nals.add(new byte[] {0x68, (byte) 0xEE, 0x3C, (byte) 0xB0});
                nals.add(nal(r, 0x65, 60_000));
            } else {
                nals.add(nal(r, 0x41, 6_000));
            }
            units.add(new AccessUnit(VideoCodec.H264, 3600L * i, nals, true));
        }
        PsMuxer muxer = new PsMuxer(PsStreamType.H264, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        units.forEach(u -> out.writeBytes(muxer.video(u)));
        ps = out.toByteArray();
        rtp = new ArrayList<>();
        int seq = 0;
        for (AccessUnit u : units) {
            for (int n = 0; n < u.nalUnitCount(); n++) {
                byte[] nal = u.nalUnit(n);
                boolean lastNal = n == u.nalUnitCount() - 1;
                if (nal.length <= RTP_PAYLOAD) {
                    rtp.add(new RtpPacket(lastNal, 96, seq++ & 0xFFFF, u.timestamp(), 1, 0, nal));
                    continue;
                }
                for (int at = 1; at < nal.length; at += RTP_PAYLOAD - 2) {
                    int len = Math.min(RTP_PAYLOAD - 2, nal.length - at);
                    boolean end = at + len == nal.length;
                    byte[] p = new byte[len + 2];
                    p[0] = (byte) ((nal[0] & 0xE0) | 28);
                    p[1] = (byte) ((at == 1 ? 0x80 : 0) | (end ? 0x40 : 0) | (nal[0] & 0x1F));
                    System.arraycopy(nal, at, p, 2, len);
                    rtp.add(new RtpPacket(lastNal && end, 96, seq++ & 0xFFFF, u.timestamp(), 1, 0, p));
                }
            }
        }
        demuxer = new PsDemuxer(PsDemuxer.DEFAULT_MAX_ACCESS_UNIT, (type, unit) -> bytesOut += unit.size());
        depacketizer = new H264Depacketizer(List.of(), H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT,
                unit -> bytesOut += unit.size());
    }

    /** @return bytes of access units handed on so far (keeps the work observable) */
    @Benchmark
    public long psDemux() {
        for (int at = 0; at < ps.length; at += RTP_PAYLOAD) {
            demuxer.feed(ps, at, Math.min(RTP_PAYLOAD, ps.length - at));
        }
        return bytesOut;
    }

    /** @return bytes of access units handed on so far */
    @Benchmark
    public long h264Depacketize() {
        for (int i = 0; i < rtp.size(); i++) {
            depacketizer.receive(rtp.get(i));
        }
        return bytesOut;
    }
}
