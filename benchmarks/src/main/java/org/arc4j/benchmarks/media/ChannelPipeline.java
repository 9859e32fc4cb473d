package org.arc4j.benchmarks.media;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arc4j.media.buffer.BufferBudget;
import org.arc4j.media.buffer.BufferedFrame;
import org.arc4j.media.buffer.PreAlarmBuffer;
import org.arc4j.media.clip.Fmp4Segmenter;
import org.arc4j.media.rtp.RtpDecodeResult;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Depacketizer;
import org.arc4j.media.video.H264Depacketizer;
import org.arc4j.media.video.VideoCodec;
import org.arc4j.media.video.VideoInvalid;

/**
 * One camera channel's receive path as a centre runs it: RTP datagram → {@link RtpPacket#decode} →
 * {@link H264Depacketizer} → access unit → {@link PreAlarmBuffer} (Annex-B copy, under the shared budget) and
 * {@link Fmp4Segmenter} (the live view's or a clip's fragments; the segments are counted and dropped). One thread at
 * a time, as a channel is on one event loop.
 */
final class ChannelPipeline {
    /** The SPS and PPS libx264 writes for 1920×1080 High profile level 4.0 at 25 fps (so the segmenter parses it). */
    static final byte[] SPS = {0x67, 0x64, 0x00, 0x28, (byte) 0xAC, (byte) 0xD9, 0x40, 0x78, 0x02, 0x27, (byte) 0xE5,
        (byte) 0xC0, 0x44, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, (byte) 0xC8, 0x3C, 0x60, (byte) 0xC6,
        0x58};
    static final byte[] PPS = {0x68, (byte) 0xEB, (byte) 0xE3, (byte) 0xCB, 0x22, (byte) 0xC0};
    static final int RTP_PAYLOAD = 1400;
    static final int FPS = 25;

    private final H264Depacketizer depacketizer;
    private final PreAlarmBuffer buffer;
    private final Fmp4Segmenter segmenter;
    private final Instant epoch;
    long packets;
    long badPackets;
    long invalidUnits;
    long units;
    long segmentBytes;
    long notSegmented;

    ChannelPipeline(String channel, Duration depth, BufferBudget budget, Instant epoch) {
        this.epoch = epoch;
        this.buffer = new PreAlarmBuffer(channel, depth, budget);
        this.segmenter = Fmp4Segmenter.builder().video(VideoCodec.H264).build(s -> segmentBytes += s.bytes().length);
        this.depacketizer = new H264Depacketizer(List.of(), H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT,
                new Depacketizer.Sink() {
                    @Override
                    public void accessUnit(AccessUnit unit) {
                        units++;
                        // the frame's wall-clock time from its RTP timestamp (as an RTCP SR mapping would give)
                        Instant at = ChannelPipeline.this.epoch.plusNanos(unit.timestamp() * 100_000 / 9);
                        buffer.add(new BufferedFrame(at, unit.isKey(), unit.toAnnexB()));
                        if (segmenter.video(unit) != Fmp4Segmenter.Added.QUEUED) {
                            notSegmented++;
                        }
                    }

                    @Override
                    public void invalid(VideoInvalid invalid) {
                        invalidUnits++;
                    }
                });
    }

    /** @param datagram one RTP packet as it came off the socket */
    void receive(byte[] datagram) {
        packets++;
        if (RtpPacket.decode(datagram, 0, datagram.length) instanceof RtpDecodeResult.Valid v) {
            depacketizer.receive(v.packet());
        } else {
            badPackets++;
        }
    }

    /** @return bytes the pre-alarm buffer holds */
    long buffered() {
        return buffer.bytes();
    }

    /**
     * One second of a channel's video at a bitrate as RTP payloads (RFC 6184 FU-A at a 1,400-byte MTU, SPS and PPS
     * as single NAL packets): frame 0 an IDR four times the size of each of the 24 P frames. Random bytes without
     * zeros, so no start code is emulated.
     *
     * @param kbps the bitrate, kbit/s
     * @return per frame, its payloads in order (the last of each frame carries the marker)
     */
    static List<List<byte[]>> oneSecond(int kbps) {
        Random r = new Random(kbps);
        long perSecond = kbps * 1000L / 8;
        int pSize = (int) (perSecond / (4 + FPS - 1));
        List<List<byte[]>> frames = new ArrayList<>();
        for (int i = 0; i < FPS; i++) {
            List<byte[]> payloads = new ArrayList<>();
            if (i == 0) {
                payloads.add(SPS);
                payloads.add(PPS);
            }
            byte[] nal = new byte[i == 0 ? 4 * pSize : pSize];
            r.nextBytes(nal);
            for (int k = 1; k < nal.length; k++) {
                if (nal[k] == 0) {
                    nal[k] = 1;
                }
            }
            nal[0] = (byte) (i == 0 ? 0x65 : 0x41);
            for (int at = 1; at < nal.length; at += RTP_PAYLOAD - 2) {
                int len = Math.min(RTP_PAYLOAD - 2, nal.length - at);
                byte[] p = new byte[len + 2];
                p[0] = (byte) ((nal[0] & 0xE0) | 28);
                p[1] = (byte) ((at == 1 ? 0x80 : 0) | (at + len == nal.length ? 0x40 : 0) | (nal[0] & 0x1F));
                System.arraycopy(nal, at, p, 2, len);
                payloads.add(p);
            }
            frames.add(payloads);
        }
        return frames;
    }

    /**
     * An RTP datagram (RFC 3550 §5.1, payload type 96), as a camera puts it on the wire.
     *
     * @return the bytes
     */
    static byte[] datagram(byte[] payload, boolean marker, int sequence, long timestamp, long ssrc) {
        return new RtpPacket(marker, 96, sequence, timestamp, ssrc, 0, payload).encode();
    }
}
