package org.arc4j.gb28181.media.internal;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.media.RtpPayloadInterceptor;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.media.ps.PsDemuxer;
import org.arc4j.media.ps.PsInvalid;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtcp.ReportBlock;
import org.arc4j.media.rtcp.RtcpCodec;
import org.arc4j.media.rtcp.RtcpPacket;
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
 * One media session: the INVITE (offer with {@code y=} SSRC), the 2xx and its ACK, the RTP socket, the receive path
 * RTP → reorder buffer → {@link PsDemuxer} → listener, the media watchdog on the platform's scheduler (it counts
 * decoded audio and video, not packets, so a device sending garbage fails like a silent one), MANSRTSP in
 * INFO, and the end (BYE either way, failures). Thread-safe: state changes under this object's lock; the receive
 * path runs on one Netty event loop under the lock of the reorder buffer.
 */
final class Session implements MediaSession, RtpReceiver.Sink, PsDemuxer.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int REORDER_DEPTH = 64;
    private static final int CLOCK_RATE = 90_000;
    /** How often a UDP session reports reception to the device (RFC 3550 §6.2: 5 s, the minimum interval). */
    static final Duration RTCP_INTERVAL = Duration.ofSeconds(5);

    private final MediaSessions owner;
    private final MediaRequest request;
    private final MediaListener listener;
    private final String ssrc;
    private final CompletableFuture<MediaSession> result = new CompletableFuture<>();
    private final JitterBuffer reorder;
    private final PsDemuxer demuxer;
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicInteger rtspSeq = new AtomicInteger();
    /** Made on the first H.264 or H.265 packet; used under the reorder buffer's lock. */
    private Depacketizer depacketizer;
    private String callId = "";
    private volatile Dialog dialog;
    private volatile RtpReceiver receiver;
    private volatile InetSocketAddress remoteMedia;
    private volatile String answeredSsrc;
    private volatile long receivedSsrc = -1;
    private volatile Instant lastMediaAt;
    private volatile boolean ended;
    /** The device reported the end of the recording: its closing the TCP connection is then no loss. */
    private volatile boolean endOfFile;
    private boolean established;
    private Cancellable watchdog;
    private Cancellable rtcpTimer;
    /** The platform's own SSRC in its receiver reports. */
    private final long reporterSsrc = ThreadLocalRandom.current().nextInt() & 0xFFFFFFFFL;

    Session(MediaSessions owner, MediaRequest request, MediaListener listener, String ssrc) {
        this.owner = owner;
        this.request = request;
        this.listener = listener;
        this.ssrc = ssrc;
        this.demuxer = new PsDemuxer(PsDemuxer.DEFAULT_MAX_ACCESS_UNIT, this);
        this.reorder = new JitterBuffer(REORDER_DEPTH, CLOCK_RATE, this::ordered);
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

    // ------------------------------------------------------------------ setting up

    CompletableFuture<MediaSession> start(EventLoopGroup group) {
        SipRequest base;
        SipPeer dest;
        try {
            dest = owner.signalling().destination(request.deviceId());
            base = owner.inviteBase(dest, request.deviceId(), request.channelId(), ssrc);
        } catch (IllegalStateException e) {
            owner.ended(this);
            return CompletableFuture.failedFuture(new MediaFailureException(
                    new MediaFailure(MediaFailure.Kind.LOCAL, 0, e.getMessage())));
        }
        callId = base.callId();
        try {
            receiver = switch (request.transport()) {
                case UDP -> RtpReceiver.udp(group, owner.bindAddress(), this);
                case TCP_PASSIVE -> RtpReceiver.tcpPassive(group, owner.bindAddress(), this);
                case TCP_ACTIVE -> null;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            owner.ended(this);
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            owner.ended(this);
            return CompletableFuture.failedFuture(new MediaFailureException(
                    new MediaFailure(MediaFailure.Kind.LOCAL, 0, "cannot open the media port: " + e)));
        }
        int port = receiver != null ? receiver.localAddress().getPort() : 9; // RFC 4145: 9 when we connect
        byte[] offer = GbSdp.offer(request, owner.platformId(), owner.stack().advertisedHost(), port, ssrc,
                owner.signalling().is2022(request.deviceId()));
        SipRequest invite = SipRequest.of(SipRequest.INVITE, base.uri(), base.headers(), offer);
        owner.register(this);
        owner.metrics().counter("gb28181.media.invites", "kind", request.kind().name()).increment();
        owner.stack().send(invite, dest).whenComplete((resp, err) -> onAnswer(invite, dest, resp, err, group));
        // a caller that gives up (cancels the future) ends the session: a late 2xx then gets its ACK and a BYE
        result.whenComplete((s, e) -> {
            if (e instanceof CancellationException) {
                end(null, true);
            }
        });
        return result;
    }

    private void onAnswer(SipRequest invite, SipPeer dest, SipResponse resp, Throwable err, EventLoopGroup group) {
        MediaFailure f = MediaSessions.failure(resp, err);
        if (f != null) {
            end(f, false);
            return;
        }
        Dialog d = Dialog.asClient(invite, resp, dest);
        if (d == null) {
            end(new MediaFailure(MediaFailure.Kind.BAD_ANSWER, 0, "2xx without a To tag"), false);
            return;
        }
        dialog = d;
        owner.stack().sendStateless(d.ack(invite.cseq().number()), dest);
        if (ended) {
            sendBye(); // closed while the INVITE was pending
            return;
        }
        GbSdp.Answer a = GbSdp.parseAnswer(resp.body());
        if (a == null) {
            end(new MediaFailure(MediaFailure.Kind.BAD_ANSWER, 0, "no usable SDP answer"), true);
            return;
        }
        remoteMedia = a.address();
        answeredSsrc = a.ssrc();
        if (a.ssrc() != null && !a.ssrc().equals(ssrc)) {
            owner.metrics().counter("gb28181.tolerated", "what", "OTHER_SSRC").increment();
        }
        if (request.transport() != MediaTransport.TCP_ACTIVE) {
            established();
            return;
        }
        RtpReceiver.tcpActive(group, a.address(), this).whenComplete((rx, e) -> {
            if (e != null) {
                end(new MediaFailure(MediaFailure.Kind.LOCAL, 0, "cannot connect to the device's media port "
                        + a.address() + ": " + e), true);
                return;
            }
            receiver = rx;
            if (ended) {
                rx.close();
                return;
            }
            established();
        });
    }

    private void established() {
        synchronized (this) {
            if (ended) {
                return;
            }
            established = true;
            armWatchdog(request.mediaTimeout());
            if (request.transport() == MediaTransport.UDP) {
                rtcpTimer = owner.scheduler().schedule(RTCP_INTERVAL, this::report);
            }
        }
        owner.metrics().counter("gb28181.media.sessions", "kind", request.kind().name()).increment();
        result.complete(this);
    }

    // ------------------------------------------------------------------ the media watchdog

    private void armWatchdog(Duration in) {
        watchdog = owner.scheduler().schedule(in, this::checkMedia);
    }

    private void checkMedia() {
        Instant last = lastMediaAt;
        Instant now = owner.scheduler().now();
        Duration timeout = request.mediaTimeout();
        if (last == null) {
            long n = packets.get();
            end(new MediaFailure(MediaFailure.Kind.NO_MEDIA, 0, (n == 0 ? "no RTP"
                    : n + " RTP packets but no decodable audio or video") + " within " + timeout.toMillis() + " ms"),
                    true);
            return;
        }
        Instant due = last.plus(timeout);
        if (!now.isBefore(due)) {
            end(new MediaFailure(MediaFailure.Kind.MEDIA_LOST, 0, "no audio or video since " + last), true);
            return;
        }
        synchronized (this) {
            if (!ended) {
                armWatchdog(Duration.between(now, due));
            }
        }
    }

    // ------------------------------------------------------------------ RTCP

    /**
     * A receiver report on the device's stream (RFC 3550 §6.4.2) with the platform's CNAME (§6.5.1), sent from the
     * RTP socket to the port above the device's RTP port (§11); LSR and DLSR are 0, since the device's sender
     * reports go to a port the platform does not open.
     */
    private void report() {
        ReportBlock block;
        synchronized (reorder) {
            block = ended || reorder.statistics().received() == 0 ? null : ReportBlock.of(reorder.intervalReport(), 0, 0);
        }
        RtpReceiver rx = receiver;
        InetSocketAddress to = remoteMedia;
        if (block != null && rx != null && to != null) {
            rx.sendDatagram(RtcpCodec.INSTANCE.encode(List.of(new RtcpPacket.ReceiverReport(reporterSsrc,
                    List.of(block)), new RtcpPacket.SourceDescription(List.of(new RtcpPacket.SourceDescription.Chunk(
                    reporterSsrc, List.of(new RtcpPacket.SourceDescription.Item(RtcpPacket.SourceDescription.CNAME,
                    owner.platformId() + "@" + owner.stack().advertisedHost()))))))),
                    new InetSocketAddress(to.getAddress(), to.getPort() + 1));
            owner.metrics().counter("gb28181.media.rtcp_reports").increment();
        }
        synchronized (this) {
            if (!ended) {
                rtcpTimer = owner.scheduler().schedule(RTCP_INTERVAL, this::report);
            }
        }
    }

    // ------------------------------------------------------------------ the receive path

    @Override
    public void packet(RtpPacket received) {
        if (ended) {
            return;
        }
        RtpPacket p = received;
        RtpPayloadInterceptor icpt = owner.rtpInterceptor();
        if (icpt != null) {
            byte[] plain = icpt.inbound(this, received);
            if (plain == null) {
                owner.metrics().counter("gb28181.media.intercepted_drops").increment();
                return;
            }
            p = new RtpPacket(received.marker(), received.payloadType(), received.sequence(), received.timestamp(),
                    received.ssrc(), 0, plain);
        }
        synchronized (reorder) {
            if (ended) {
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

    @Override
    public void invalid() {
        owner.metrics().counter("gb28181.media.invalid_rtp").increment();
    }

    /**
     * The TCP media connection closed while the session ran: the media is gone now, not after the media timeout.
     * When the platform itself closes the connection, the session has already ended and this does nothing; after the
     * device reported the end of the recording the session waits for a BYE.
     */
    @Override
    public void connectionClosed() {
        if (!ended && !endOfFile) {
            end(new MediaFailure(MediaFailure.Kind.MEDIA_LOST, 0, "the device closed the TCP media connection"),
                    true);
        }
    }

    @Override
    public void video(PsStreamType type, AccessUnit unit) {
        frames.incrementAndGet();
        lastMediaAt = owner.scheduler().now();
        try {
            listener.onVideo(this, type, unit);
        } catch (RuntimeException e) {
            LOG.warn("media listener failed on a video frame of {}", callId, e);
        }
    }

    @Override
    public void audio(PsStreamType type, long pts, byte[] data) {
        lastMediaAt = owner.scheduler().now();
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

    // ------------------------------------------------------------------ in-dialog requests

    boolean inDialog(SipRequest r) {
        Dialog d = dialog;
        return d != null && d.matches(r);
    }

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

    // ------------------------------------------------------------------ the end

    @Override
    public void close() {
        end(null, true);
    }

    /**
     * Ends the session once: watchdog cancelled, socket closed, what was received handed on (the last access
     * unit included), SSRC released, BYE when asked and a dialog exists; the listener hears it if the session was established, else the INVITE's future fails.
     */
    void end(MediaFailure failure, boolean bye) {
        boolean wasEstablished;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            wasEstablished = established;
            if (watchdog != null) {
                watchdog.cancel();
            }
            if (rtcpTimer != null) {
                rtcpTimer.cancel();
            }
        }
        RtpReceiver rx = receiver;
        if (rx != null) {
            rx.close();
        }
        synchronized (reorder) {
            // what was received is handed on: the packets held behind a gap, and the demuxer's last unit, which
            // it otherwise keeps until the next one begins
            reorder.flush();
            demuxer.flush();
            if (depacketizer != null) {
                depacketizer.flush();
            }
        }
        owner.ended(this);
        if (bye && dialog != null) {
            sendBye();
        }
        owner.endedWith(this, failure);
        if (wasEstablished) {
            try {
                listener.onClosed(this, failure);
            } catch (RuntimeException e) {
                LOG.warn("media listener failed on the end of {}", callId, e);
            }
        } else {
            result.completeExceptionally(new MediaFailureException(failure != null ? failure
                    : new MediaFailure(MediaFailure.Kind.LOCAL, 0, "closed before the device answered")));
        }
    }

    private void sendBye() {
        owner.bye(dialog, this);
    }

    // ------------------------------------------------------------------ MediaSession

    @Override
    public MediaRequest request() {
        return request;
    }

    @Override
    public String callId() {
        return callId;
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

    /** @return packets of another SSRC than the one locked on, dropped */
    long foreignPackets() {
        return foreign.get();
    }

    @Override
    public String toString() {
        return "MediaSession[" + request.kind() + " " + request.channelId() + " " + callId + "]";
    }
}
