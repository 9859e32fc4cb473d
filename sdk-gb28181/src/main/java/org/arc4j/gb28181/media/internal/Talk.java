package org.arc4j.gb28181.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.TalkListener;
import org.arc4j.gb28181.media.TalkSession;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.media.rtp.G711RtpReceiver;
import org.arc4j.media.rtp.RtpDecodeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One two-way talk (语音对讲): the platform INVITEs the device's audio channel with a {@code sendrecv} G.711 offer
 * (PCMA and PCMU over RTP/UDP, {@code y=} last), sends its audio through {@link G711Out} to the address of the
 * device's answer in the payload type the device chose, and hands the device's RTP, put in order by sdk-media's
 * {@link G711RtpReceiver}, to the listener. A media watchdog on the platform's scheduler ends a talk whose device
 * sends no audio ({@code NO_MEDIA}) or stops ({@code MEDIA_LOST}). BYE either way. Thread-safe.
 */
final class Talk implements TalkSession, G711RtpReceiver.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Talk.class);

    private final MediaSessions owner;
    private final String deviceId;
    private final String channelId;
    private final TalkListener listener;
    private final String ssrc;
    private final Duration mediaTimeout;
    private final CompletableFuture<TalkSession> result = new CompletableFuture<>();
    private final G711RtpReceiver receiver = new G711RtpReceiver(-1, this);
    private final AtomicLong received = new AtomicLong();
    private G711Out audio;
    private String callId = "";
    private volatile Dialog dialog;
    private volatile InetSocketAddress remote;
    private volatile String answeredSsrc;
    private volatile int payloadType = G711RtpReceiver.PCMA;
    private volatile Instant lastAudioAt;
    private volatile boolean ended;
    private volatile boolean established;
    private Cancellable watchdog;

    Talk(MediaSessions owner, String deviceId, String channelId, TalkListener listener, String ssrc,
         Duration mediaTimeout) {
        this.owner = owner;
        this.deviceId = deviceId;
        this.channelId = channelId;
        this.listener = listener;
        this.ssrc = ssrc;
        this.mediaTimeout = mediaTimeout;
    }

    /** The offer: receive and send, A-law preferred, μ-law too, the SSRC last (GB/T 28181-2016 Annex G). */
    private byte[] offer(int port) {
        String host = owner.stack().advertisedHost();
        String ip = host.contains(":") ? "IP6" : "IP4";
        return ("v=0\r\no=" + owner.platformId() + " 0 0 IN " + ip + " " + host + "\r\ns=Talk\r\nc=IN " + ip + " "
                + host + "\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 8 0\r\na=sendrecv\r\na=rtpmap:8 PCMA/8000\r\n"
                + "a=rtpmap:0 PCMU/8000\r\ny=" + ssrc + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    CompletableFuture<TalkSession> start() {
        SipPeer dest;
        SipRequest base;
        try {
            dest = owner.signalling().destination(deviceId);
            base = owner.inviteBase(dest, deviceId, channelId, ssrc);
            audio = G711Out.bind(owner.bindAddress());
        } catch (IllegalStateException | IOException e) {
            owner.ended(this);
            return CompletableFuture.failedFuture(new MediaFailureException(
                    new MediaFailure(MediaFailure.Kind.LOCAL, 0, e.getMessage())));
        }
        callId = base.callId();
        SipRequest invite = SipRequest.of(SipRequest.INVITE, base.uri(), base.headers(),
                offer(audio.localAddress().getPort()));
        owner.register(this);
        audio.receive(this::datagram);
        owner.stack().send(invite, dest).whenComplete((resp, err) -> onAnswer(invite, dest, resp, err));
        return result;
    }

    private void onAnswer(SipRequest invite, SipPeer dest, SipResponse resp, Throwable err) {
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
        if (a == null || a.tcp() || (a.payloadType() != G711RtpReceiver.PCMA
                && a.payloadType() != G711RtpReceiver.PCMU)) {
            end(new MediaFailure(MediaFailure.Kind.BAD_ANSWER, 0, "the device's answer is not G.711 over UDP"), true);
            return;
        }
        remote = a.address();
        answeredSsrc = a.ssrc();
        payloadType = a.payloadType();
        audio.start(payloadType, GbSdp.ssrcValue(ssrc), a.address());
        synchronized (this) {
            if (ended) {
                return;
            }
            established = true;
            armWatchdog(mediaTimeout);
        }
        owner.metrics().counter("gb28181.media.talks").increment();
        result.complete(this);
    }

    // ------------------------------------------------------------------ the device's audio

    private void datagram(byte[] d) {
        if (ended) {
            return;
        }
        synchronized (receiver) {
            if (receiver.receive(d, 0, d.length) instanceof RtpDecodeResult.Valid) {
                received.incrementAndGet();
            }
        }
    }

    @Override
    public void audio(int pt, byte[] codes, long sampleTime) {
        lastAudioAt = owner.scheduler().now();
        try {
            listener.onAudio(this, pt, codes, sampleTime);
        } catch (RuntimeException e) {
            LOG.warn("talk listener failed on audio of {}", callId, e);
        }
    }

    private void armWatchdog(Duration in) {
        watchdog = owner.scheduler().schedule(in, this::checkAudio);
    }

    private void checkAudio() {
        Instant last = lastAudioAt;
        Instant now = owner.scheduler().now();
        if (last == null) {
            end(new MediaFailure(MediaFailure.Kind.NO_MEDIA, 0, received.get() + " RTP packets but no G.711 audio within "
                    + mediaTimeout.toMillis() + " ms"), true);
            return;
        }
        Instant due = last.plus(mediaTimeout);
        if (!now.isBefore(due)) {
            end(new MediaFailure(MediaFailure.Kind.MEDIA_LOST, 0, "no audio since " + last), true);
            return;
        }
        synchronized (this) {
            if (!ended) {
                armWatchdog(Duration.between(now, due));
            }
        }
    }

    // ------------------------------------------------------------------ the end

    boolean inDialog(SipRequest r) {
        Dialog d = dialog;
        return d != null && d.matches(r);
    }

    /**
     * Ends the talk once: watchdog cancelled, what the reorder buffer holds handed on, socket closed, BYE when
     * asked and a dialog exists; the listener hears it if the talk was established, else the future fails.
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
        }
        synchronized (receiver) {
            receiver.flush();
        }
        if (audio != null) {
            audio.close();
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
                LOG.warn("talk listener failed on the end of {}", callId, e);
            }
        } else {
            result.completeExceptionally(new MediaFailureException(failure != null ? failure
                    : new MediaFailure(MediaFailure.Kind.LOCAL, 0, "closed before the device answered")));
        }
    }

    private void sendBye() {
        owner.bye(dialog, this);
    }

    // ------------------------------------------------------------------ TalkSession

    @Override
    public int send(byte[] codes) throws IOException {
        if (ended || !established) {
            throw new IllegalStateException("talk ended or not established");
        }
        return audio.send(codes);
    }

    @Override
    public void close() {
        end(null, true);
    }

    @Override
    public boolean isClosed() {
        return ended;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String targetId() {
        return channelId;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public int payloadType() {
        return payloadType;
    }

    @Override
    public long ssrc() {
        return GbSdp.ssrcValue(ssrc);
    }

    /** @return the SSRC offered, 10 digits */
    String offeredSsrc() {
        return ssrc;
    }

    @Override
    public InetSocketAddress remoteAudioAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAudioAddress() {
        return audio.localAddress();
    }

    @Override
    public String answeredSsrc() {
        return answeredSsrc;
    }

    @Override
    public long packetsReceived() {
        return received.get();
    }

    @Override
    public String toString() {
        return "TalkSession[" + channelId + " " + callId + "]";
    }
}
