package org.arc4j.gb28181.media.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.media.ps.PsDemuxer;
import org.arc4j.media.ps.PsInvalid;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtcp.NtpTimestamp;
import org.arc4j.media.rtcp.ReportBlock;
import org.arc4j.media.rtcp.RtcpCodec;
import org.arc4j.media.rtcp.RtcpDecodeResult;
import org.arc4j.media.rtcp.RtcpPacket;
import org.arc4j.media.rtcp.RtpClockMapping;
import org.arc4j.media.rtp.AacRtpDepacketizer;
import org.arc4j.media.rtp.JitterBuffer;
import org.arc4j.media.rtp.RtpPacket;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.Depacketizer;
import org.arc4j.media.video.H264Depacketizer;
import org.arc4j.media.video.H265Depacketizer;
import org.arc4j.media.video.VideoInvalid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live, playback or download session ({@link InviteSession} does the dialog): the receive path RTP → reorder
 * buffer → {@link PsDemuxer} (or the H.264/H.265 depacketiser) → listener, AAC of its own payload type (RFC 3640)
 * beside it, the device's RTCP sender reports read into the clock mapping and the receiver reports sent back with
 * LSR and DLSR (over UDP to the port above the device's; over TCP on the media connection once the device uses it
 * for RTCP), MANSRTSP in INFO and the end-of-file notification. The receive path runs on one Netty event loop under
 * the lock of the reorder buffer.
 */
final class Session extends InviteSession<MediaSession> implements MediaSession, PsDemuxer.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int REORDER_DEPTH = 64;
    private static final int CLOCK_RATE = 90_000;
    /** How often the platform reports reception to the device (RFC 3550 §6.2: 5 s, the minimum interval). */
    static final Duration RTCP_INTERVAL = Duration.ofSeconds(5);

    private final MediaRequest request;
    private final MediaListener listener;
    private final JitterBuffer reorder;
    private final PsDemuxer demuxer;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicInteger rtspSeq = new AtomicInteger();
    /** Made on the first H.264 or H.265 packet; used under the reorder buffer's lock. */
    private Depacketizer depacketizer;
    /** AAC as RTP, when the answer mapped a payload type to MPEG4-GENERIC; its own reorder buffer, same lock. */
    private volatile AacRtpDepacketizer aac;
    private volatile int aacPayloadType = -1;
    private JitterBuffer aacReorder;
    private volatile long receivedSsrc = -1;
    /** The device reported the end of the recording: its closing the TCP connection is then no loss. */
    private volatile boolean endOfFile;
    private Cancellable rtcpTimer;
    /** The last sender report of the source taken, and when it arrived on the platform's clock. */
    private volatile RtpClockMapping clockMapping;
    private volatile NtpTimestamp lastSr;
    private volatile Instant lastSrAt;
    /** The device sent RTCP on the TCP media connection: reports go back there. */
    private volatile boolean rtcpOverTcp;
    /** The platform's own SSRC in its receiver reports. */
    private final long reporterSsrc = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;

    Session(MediaSessions owner, MediaRequest request, MediaListener listener, String ssrc) {
        super(owner, request.deviceId(), request.channelId(), ssrc, request.transport(), request.mediaTimeout());
        this.request = request;
        this.listener = listener;
        this.demuxer = new PsDemuxer(PsDemuxer.DEFAULT_MAX_ACCESS_UNIT, this);
        this.reorder = new JitterBuffer(REORDER_DEPTH, CLOCK_RATE, this::ordered);
    }

    @Override
    MediaSession self() {
        return this;
    }

    @Override
    byte[] offer(int port) {
        return GbSdp.offer(request, owner.platformId(), owner.stack().advertisedHost(), port, ssrc,
                owner.signalling().is2022(request.deviceId()));
    }

    @Override
    void answered(GbSdp.Answer a) {
        if (a.aacPayloadType() >= 0) {
            AacRtpDepacketizer d = AacRtpDepacketizer.of(a.aacClockRate(), a.aacFmtp());
            if (d == null) {
                owner.metrics().counter("gb28181.tolerated", "what", "UNREADABLE_AAC_FMTP").increment();
                return;
            }
            synchronized (reorder) {
                aacReorder = new JitterBuffer(REORDER_DEPTH, d.clockRate(), this::aacOrdered);
            }
            aac = d;
            aacPayloadType = a.aacPayloadType();
        }
    }

    @Override
    void onEstablished() {
        rtcpTimer = owner.scheduler().schedule(RTCP_INTERVAL, this::report);
    }

    @Override
    String mediaName() {
        return "decodable audio or video";
    }

    @Override
    String kind() {
        return request.kind().name();
    }

    @Override
    void cancelTimers() {
        if (rtcpTimer != null) {
            rtcpTimer.cancel();
        }
    }

    @Override
    void flush() {
        synchronized (reorder) {
            // what was received is handed on: the packets held behind a gap, and the demuxer's last unit, which
            // it otherwise keeps until the next one begins
            reorder.flush();
            if (aacReorder != null) {
                aacReorder.flush();
            }
            demuxer.flush();
            if (depacketizer != null) {
                depacketizer.flush();
            }
        }
    }

    @Override
    void closed(MediaFailure failure) {
        try {
            listener.onClosed(this, failure);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on the end of {}", callId, e);
        }
    }

    @Override
    boolean connectionMayClose() {
        return endOfFile;
    }

    // ------------------------------------------------------------------ the receive path

    @Override
    public void packet(RtpPacket received) {
        if (ended) {
            return;
        }
        RtpPacket p = intercepted(received);
        if (p == null) {
            return;
        }
        synchronized (reorder) {
            if (ended) {
                return;
            }
            if (p.payloadType() == aacPayloadType && aacReorder != null) {
                // the device's AAC is a source of its own, beside the video's
                packets.incrementAndGet();
                aacReorder.offer(p, owner.scheduler().now().toEpochMilli() * 1_000_000L);
                return;
            }
            long s = p.ssrc();
            // the stream on this port is the session's whatever SSRC the device chose (some answer one SSRC and
            // send another); once locked, packets of any other source are dropped
            if (receivedSsrc < 0) {
                receivedSsrc = s;
            } else if (s != receivedSsrc) {
                foreign.incrementAndGet();
                return;
            }
            packets.incrementAndGet();
            reorder.offer(p, owner.scheduler().now().toEpochMilli() * 1_000_000L);
        }
    }

    /**
     * A packet in sequence order, by payload type: H.264 or H.265 as RTP (RFC 6184, RFC 7798) to their
     * depacketiser, anything else, PS above all, to the demuxer.
     */
    private void ordered(RtpPacket p) {
        if (p.payloadType() == GbSdp.H264 || p.payloadType() == GbSdp.H265) {
            if (depacketizer == null) {
                boolean h264 = p.payloadType() == GbSdp.H264;
                Depacketizer.Sink sink = new Depacketizer.Sink() {
                    @Override
                    public void accessUnit(AccessUnit unit) {
                        video(h264 ? PsStreamType.H264 : PsStreamType.H265, unit);
                    }

                    @Override
                    public void invalid(VideoInvalid invalid) {
                        owner.metrics().counter("gb28181.media.invalid_video", "reason", invalid.error().name())
                                .increment();
                    }
                };
                depacketizer = h264 ? new H264Depacketizer(List.of(), H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT, sink)
                        : new H265Depacketizer(List.of(), H264Depacketizer.DEFAULT_MAX_ACCESS_UNIT, sink);
            }
            depacketizer.receive(p);
            return;
        }
        byte[] payload = p.payload();
        demuxer.feed(payload, 0, payload.length);
    }

    /** AAC access units of one RTP packet, each as an ADTS frame stamped on the 90 kHz clock of PS audio. */
    private void aacOrdered(RtpPacket p) {
        AacRtpDepacketizer d = aac;
        List<byte[]> units = d.accessUnits(p.payload());
        for (int i = 0; i < units.size(); i++) {
            long ts = (p.timestamp() + (long) i * AacRtpDepacketizer.SAMPLES_PER_UNIT) & 0xFFFFFFFFL;
            audio(PsStreamType.AAC, ts * CLOCK_RATE / d.clockRate(), d.adts(units.get(i)));
        }
        if (units.isEmpty()) {
            owner.metrics().counter("gb28181.media.invalid_aac").increment();
        }
    }

    @Override
    public void video(PsStreamType type, AccessUnit unit) {
        frames.incrementAndGet();
        mediaArrived();
        try {
            listener.onVideo(this, type, unit);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on a video frame of {}", callId, e);
        }
    }

    @Override
    public void audio(PsStreamType type, long pts, byte[] data) {
        mediaArrived();
        try {
            listener.onAudio(this, type, pts, data);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on audio of {}", callId, e);
        }
    }

    @Override
    public void invalid(PsInvalid invalid) {
        owner.metrics().counter("gb28181.media.invalid_ps", "reason", invalid.error().name()).increment();
        try {
            listener.onInvalid(this, invalid);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on {}", invalid, e);
        }
    }

    // ------------------------------------------------------------------ RTCP

    /**
     * The device's RTCP: a sender report of the source the session took gives the clock mapping and the LSR of
     * the next receiver report (RFC 3550 §6.4.1). RTCP on the TCP media connection means the device wants the
     * reports there too.
     */
    @Override
    public void rtcp(byte[] packet, boolean tcp) {
        if (ended || !(RtcpCodec.INSTANCE.decode(packet, 0, packet.length) instanceof RtcpDecodeResult.Valid v)) {
            owner.metrics().counter("gb28181.media.invalid_rtcp").increment();
            return;
        }
        if (tcp) {
            rtcpOverTcp = true;
        }
        for (RtcpPacket p : v.packets()) {
            if (p instanceof RtcpPacket.SenderReport sr && (receivedSsrc < 0 || sr.ssrc() == receivedSsrc)) {
                lastSr = sr.ntp();
                lastSrAt = owner.scheduler().now();
                clockMapping = RtpClockMapping.of(sr, CLOCK_RATE);
                owner.metrics().counter("gb28181.media.rtcp_sender_reports").increment();
                try {
                    listener.onSenderReport(this, sr);
                } catch (RuntimeException e) {
                    LOG.warn("media listener failed on a sender report of {}", callId, e);
                }
            }
        }
    }

    /**
     * A receiver report on the device's stream (RFC 3550 §6.4.2) with the platform's CNAME (§6.5.1): over UDP from
     * the RTCP port to the port above the device's RTP port (§11), over TCP framed on the media connection when the
     * device sends its RTCP there (RFC 4571).
     */
    private void report() {
        ReportBlock block;
        synchronized (reorder) {
            NtpTimestamp sr = lastSr;
            Instant at = lastSrAt;
            block = ended || reorder.statistics().received() == 0 ? null : ReportBlock.of(reorder.intervalReport(),
                    sr, sr == null ? Duration.ZERO : Duration.between(at, owner.scheduler().now()));
        }
        RtpReceiver rx = receiver;
        InetSocketAddress to = remoteMedia;
        if (block != null && rx != null && to != null && (!rx.isTcp() || rtcpOverTcp)) {
            byte[] rr = RtcpCodec.INSTANCE.encode(List.of(new RtcpPacket.ReceiverReport(reporterSsrc,
                    List.of(block)), new RtcpPacket.SourceDescription(List.of(new RtcpPacket.SourceDescription.Chunk(
                    reporterSsrc, List.of(new RtcpPacket.SourceDescription.Item(RtcpPacket.SourceDescription.CNAME,
                    owner.platformId() + "@" + owner.stack().advertisedHost())))))));
            if (rx.sendRtcp(rr, new InetSocketAddress(to.getAddress(), to.getPort() + 1))) {
                owner.metrics().counter("gb28181.media.rtcp_reports").increment();
            }
        }
        synchronized (this) {
            if (!ended) {
                rtcpTimer = owner.scheduler().schedule(RTCP_INTERVAL, this::report);
            }
        }
    }

    // ------------------------------------------------------------------ in-dialog requests

    void endOfFile() {
        if (ended) {
            return;
        }
        endOfFile = true;
        try {
            listener.onEndOfFile(this);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on end of file of {}", callId, e);
        }
    }

    @Override
    public CompletionStage<Integer> play(double scale) {
        return mansrtsp("PLAY", "Scale: " + scale + "\r\nRange: npt=now-\r\n");
    }

    @Override
    public CompletionStage<Integer> pause() {
        return mansrtsp("PAUSE", "PauseTime: now\r\n");
    }

    @Override
    public CompletionStage<Integer> seek(long secondsFromStart) {
        if (secondsFromStart < 0) {
            throw new IllegalArgumentException("seek before the start: " + secondsFromStart);
        }
        return mansrtsp("PLAY", "Range: npt=" + secondsFromStart + "-\r\n");
    }

    /** MANSRTSP (GB/T 28181-2016 Annex B) in an INFO of the session's dialog. */
    private CompletionStage<Integer> mansrtsp(String method, String headers) {
        Dialog d = dialog;
        if (!request.kind().isHistory()) {
            return CompletableFuture.failedFuture(new IllegalStateException("playback control of a live session"));
        }
        if (d == null || ended) {
            return CompletableFuture.failedFuture(new IllegalStateException("session not established"));
        }
        String body = method + " RTSP/1.0\r\nCSeq: " + rtspSeq.incrementAndGet() + "\r\n" + headers + "\r\n";
        SipRequest info = d.newRequest(SipRequest.INFO,
                SipHeaders.builder().add("Content-Type", "Application/MANSRTSP").build(),
                body.getBytes(StandardCharsets.US_ASCII));
        return owner.stack().send(info, d.peer()).thenApply(SipResponse::status);
    }

    // ------------------------------------------------------------------ MediaSession

    @Override
    public void close() {
        super.close();
    }

    @Override
    public MediaRequest request() {
        return request;
    }

    @Override
    public String offeredSsrc() {
        return ssrc;
    }

    @Override
    public String answeredSsrc() {
        return answeredSsrc;
    }

    @Override
    public long receivedSsrc() {
        return receivedSsrc;
    }

    @Override
    public InetSocketAddress localMediaAddress() {
        RtpReceiver rx = receiver;
        return rx == null ? null : rx.localAddress();
    }

    @Override
    public InetSocketAddress remoteMediaAddress() {
        return remoteMedia;
    }

    @Override
    public long packets() {
        return packets.get();
    }

    @Override
    public long videoFrames() {
        return frames.get();
    }

    @Override
    public RtpClockMapping clockMapping() {
        return clockMapping;
    }

    /** @return packets of another SSRC than the one locked on, dropped */
    long foreignPackets() {
        return foreign.get();
    }

    @Override
    public String toString() {
        return "MediaSession[" + request.kind() + " " + request.channelId() + " " + callId + "]";
    }
}
