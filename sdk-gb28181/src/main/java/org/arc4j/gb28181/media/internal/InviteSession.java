package org.arc4j.gb28181.media.internal;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.MediaDialog;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.media.RtpPayloadInterceptor;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.media.rtp.RtpPacket;

/**
 * What every session the platform INVITEs shares — live, playback, download ({@link Session}) and talk
 * ({@link Talk}): the media port opened before the offer (UDP, or TCP passive; TCP active connects after the
 * answer), the INVITE with its Subject and {@code y=} SSRC, the 2xx and its ACK, a caller's cancel, the answer's
 * address and SSRC, the {@link RtpPayloadInterceptor} on every received packet, the media watchdog on the
 * platform's scheduler (it counts decoded media, not packets, so a device sending garbage fails like a silent
 * one), a device closing its TCP media connection, and the end (BYE either way, once, the listener told or the
 * INVITE's future failed). Thread-safe: state changes under this object's lock.
 *
 * @param <S> the public type of the session
 */
abstract class InviteSession<S extends MediaDialog> implements RtpReceiver.Sink, MediaDialog {
    final MediaSessions owner;
    final String deviceId;
    final String channelId;
    final String ssrc;
    final MediaTransport transport;
    final Duration mediaTimeout;
    final CompletableFuture<S> result = new CompletableFuture<>();
    final AtomicLong packets = new AtomicLong();
    volatile String callId = "";
    volatile Dialog dialog;
    volatile RtpReceiver receiver;
    volatile InetSocketAddress remoteMedia;
    volatile String answeredSsrc;
    volatile Instant lastMediaAt;
    volatile boolean ended;
    private boolean established;
    private Cancellable watchdog;

    InviteSession(MediaSessions owner, String deviceId, String channelId, String ssrc, MediaTransport transport,
                  Duration mediaTimeout) {
        this.owner = owner;
        this.deviceId = deviceId;
        this.channelId = channelId;
        this.ssrc = ssrc;
        this.transport = transport;
        this.mediaTimeout = mediaTimeout;
    }

    /** @return this, as its public type */
    abstract S self();

    /**
     * The SDP offer.
     *
     * @param port the platform's media port, 9 when it will connect
     * @return the body
     */
    abstract byte[] offer(int port);

    /**
     * Checks an answer beyond its address.
     *
     * @param a the answer
     * @return why it is unusable, or null
     */
    String refusal(GbSdp.Answer a) {
        return null;
    }

    /**
     * The answer was taken: what the session sets up from it before it is established.
     *
     * @param a the answer
     */
    void answered(GbSdp.Answer a) {
    }

    /** The session is established (under the lock). */
    void onEstablished() {
    }

    /** @return what the watchdog waits for, e.g. "decodable audio or video" */
    abstract String mediaName();

    /** @return the name counted in {@code gb28181.media.invites} and {@code gb28181.media.sessions} */
    abstract String kind();

    /** The session is ending: its timers cancelled (under the lock). */
    void cancelTimers() {
    }

    /** The media port is closed: hands on what its buffers hold. */
    void flush() {
    }

    /**
     * Tells the listener the established session ended.
     *
     * @param failure why, or null when the platform closed it
     */
    abstract void closed(MediaFailure failure);

    /** @return true when a closed TCP media connection is no loss (the recording ended) */
    boolean connectionMayClose() {
        return false;
    }

    // ------------------------------------------------------------------ setting up

    CompletableFuture<S> start(EventLoopGroup group) {
        SipRequest base;
        SipPeer dest;
        try {
            dest = owner.signalling().destination(deviceId);
            base = owner.inviteBase(dest, deviceId, channelId, ssrc);
        } catch (IllegalStateException e) {
            owner.ended(this);
            return CompletableFuture.failedFuture(new MediaFailureException(
                    new MediaFailure(MediaFailure.Kind.LOCAL, 0, e.getMessage())));
        }
        callId = base.callId();
        try {
            receiver = switch (transport) {
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
        SipRequest invite = SipRequest.of(SipRequest.INVITE, base.uri(), base.headers(), offer(port));
        owner.register(this);
        owner.metrics().counter("gb28181.media.invites", "kind", kind()).increment();
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
            owner.bye(d, this); // closed while the INVITE was pending
            return;
        }
        GbSdp.Answer a = GbSdp.parseAnswer(resp.body());
        String refused = a == null ? "no usable SDP answer" : refusal(a);
        if (refused != null) {
            end(new MediaFailure(MediaFailure.Kind.BAD_ANSWER, 0, refused), true);
            return;
        }
        remoteMedia = a.address();
        answeredSsrc = a.ssrc();
        if (a.ssrc() != null && !a.ssrc().equals(ssrc)) {
            owner.metrics().counter("gb28181.tolerated", "what", "OTHER_SSRC").increment();
        }
        answered(a);
        if (transport != MediaTransport.TCP_ACTIVE) {
            receiver.remote(a.address());
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
            armWatchdog(mediaTimeout);
            onEstablished();
        }
        owner.metrics().counter("gb28181.media.sessions", "kind", kind()).increment();
        result.complete(self());
    }

    /** @return true once the answer was taken and the media port is ready */
    synchronized boolean isEstablished() {
        return established && !ended;
    }

    // ------------------------------------------------------------------ the media watchdog

    /** Decoded media arrived: the watchdog's clock restarts. */
    void mediaArrived() {
        lastMediaAt = owner.scheduler().now();
    }

    private void armWatchdog(Duration in) {
        watchdog = owner.scheduler().schedule(in, this::checkMedia);
    }

    private void checkMedia() {
        Instant last = lastMediaAt;
        Instant now = owner.scheduler().now();
        if (last == null) {
            long n = packets.get();
            end(new MediaFailure(MediaFailure.Kind.NO_MEDIA, 0, (n == 0 ? "no RTP" : n + " RTP packets but no "
                    + mediaName()) + " within " + mediaTimeout.toMillis() + " ms"), true);
            return;
        }
        Instant due = last.plus(mediaTimeout);
        if (!now.isBefore(due)) {
            end(new MediaFailure(MediaFailure.Kind.MEDIA_LOST, 0, "no " + mediaName() + " since " + last), true);
            return;
        }
        synchronized (this) {
            if (!ended) {
                armWatchdog(Duration.between(now, due));
            }
        }
    }

    // ------------------------------------------------------------------ the receive path

    /**
     * A received packet through the platform's interceptor.
     *
     * @param received the packet
     * @return the packet with the interceptor's payload, or null when it dropped it
     */
    RtpPacket intercepted(RtpPacket received) {
        RtpPayloadInterceptor icpt = owner.rtpInterceptor();
        if (icpt == null) {
            return received;
        }
        byte[] plain = icpt.inbound(this, received);
        if (plain == null) {
            owner.metrics().counter("gb28181.media.intercepted_drops").increment();
            return null;
        }
        return new RtpPacket(received.marker(), received.payloadType(), received.sequence(), received.timestamp(),
                received.ssrc(), 0, plain);
    }

    @Override
    public void invalid() {
        owner.metrics().counter("gb28181.media.invalid_rtp").increment();
    }

    /**
     * The TCP media connection closed while the session ran: the media is gone now, not after the media timeout.
     * When the platform itself closes the connection, the session has already ended and this does nothing.
     */
    @Override
    public void connectionClosed() {
        if (!ended && !connectionMayClose()) {
            end(new MediaFailure(MediaFailure.Kind.MEDIA_LOST, 0, "the device closed the TCP media connection"),
                    true);
        }
    }

    // ------------------------------------------------------------------ in-dialog requests and the end

    boolean inDialog(SipRequest r) {
        Dialog d = dialog;
        return d != null && d.matches(r);
    }

    /**
     * Ends the session once: timers cancelled, port closed, what was received handed on, SSRC released, BYE when
     * asked and a dialog exists; the listener hears it if the session was established, else the INVITE's future
     * fails.
     *
     * @param failure why, or null when the platform closed it
     * @param bye     whether to send BYE
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
            cancelTimers();
        }
        RtpReceiver rx = receiver;
        if (rx != null) {
            rx.close();
        }
        flush();
        owner.ended(this);
        Dialog d = dialog;
        if (bye && d != null) {
            owner.bye(d, this);
        }
        owner.endedWith(this, failure);
        if (wasEstablished) {
            closed(failure);
        } else {
            result.completeExceptionally(new MediaFailureException(failure != null ? failure
                    : new MediaFailure(MediaFailure.Kind.LOCAL, 0, "closed before the device answered")));
        }
    }

    /** Ends the session with a BYE. Idempotent. */
    public void close() {
        end(null, true);
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public String callId() {
        return callId;
    }

    /** @return the SSRC offered, 10 digits */
    String offeredSsrc() {
        return ssrc;
    }

    /** @return the device's SSRC in its answer, or null */
    public String answeredSsrc() {
        return answeredSsrc;
    }
}
