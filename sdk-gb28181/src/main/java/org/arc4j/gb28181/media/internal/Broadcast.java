package org.arc4j.gb28181.media.internal;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.List;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.BroadcastSession;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.media.rtp.G711RtpReceiver;
import org.arc4j.media.rtp.G711RtpSender;
import org.arc4j.media.rtp.RtpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voice broadcast (GB/T 28181-2016 §9.12, A.2.5): the {@code Broadcast} notification to the device, the
 * device's INVITE answered with the platform's send-only audio SDP, G.711 over RTP — UDP, or RFC 4571 TCP when the
 * device's offer says {@code TCP/RTP/AVP} (the platform listening when the device is {@code a=setup:active}, the
 * default, and connecting when it is {@code passive}) — and BYE either way. A device
 * that refuses the notification fails the future with {@link MediaFailure.Kind#REJECTED}; one that never INVITEs,
 * with {@link MediaFailure.Kind#NO_ANSWER} after the timeout. Thread-safe.
 */
final class Broadcast implements BroadcastSession {
    private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);

    private final MediaSessions owner;
    private final String deviceId;
    private final String targetId;
    private final CompletableFuture<BroadcastSession> result = new CompletableFuture<>();
    private volatile Cancellable timeout;
    private volatile Dialog dialog;
    private volatile RtpReceiver endpoint;
    private G711RtpSender sender;
    private volatile MediaTransport transport = MediaTransport.UDP;
    private volatile InetSocketAddress remote;
    private volatile int payloadType = G711RtpReceiver.PCMA;
    private volatile long ssrc;
    private volatile boolean closed;
    /** The SSRC the platform chose when the device's offer had none, released at the end. */
    private volatile String allocated;

    Broadcast(MediaSessions owner, String deviceId, String targetId) {
        this.owner = owner;
        this.deviceId = deviceId;
        this.targetId = targetId;
    }

    CompletableFuture<BroadcastSession> start(long sn, Duration inviteTimeout) {
        String body = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Broadcast</CmdType>\r\n"
                + "<SN>" + sn + "</SN>\r\n<SourceID>" + owner.platformId() + "</SourceID>\r\n<TargetID>" + targetId
                + "</TargetID>\r\n</Notify>\r\n";
        SipRequest base;
        try {
            base = owner.signalling().request(SipRequest.MESSAGE, deviceId, deviceId,
                    SipHeaders.builder().add("Content-Type", "Application/MANSCDP+xml").build());
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(new MediaFailureException(
                    new MediaFailure(MediaFailure.Kind.LOCAL, 0, e.getMessage())));
        }
        SipRequest message = SipRequest.of(SipRequest.MESSAGE, base.uri(), base.headers(),
                body.getBytes(StandardCharsets.US_ASCII));
        // the device's INVITE may come before the 200 to the notification: wait for it from now on
        timeout = owner.scheduler().schedule(inviteTimeout, () -> fail(new MediaFailure(MediaFailure.Kind.NO_ANSWER,
                0, "the device did not INVITE within " + inviteTimeout.toMillis() + " ms")));
        owner.stack().send(message, owner.signalling().destination(deviceId)).whenComplete((resp, err) -> {
            MediaFailure f = MediaSessions.failure(resp, err);
            if (f != null) {
                fail(f);
            }
        });
        return result;
    }

    /** Whether an INVITE from the device is the one this broadcast waits for. */
    boolean awaits(String fromUser) {
        return dialog == null && !closed && (targetId.equals(fromUser) || deviceId.equals(fromUser));
    }

    /** The device's INVITE: answered with the platform's send-only audio, or 488 when its offer is unusable. */
    void onInvite(ServerTransaction tx, EventLoopGroup group) {
        SipRequest r = tx.request();
        GbSdp.Answer offer = GbSdp.parseAnswer(r.body());
        if (offer == null || (offer.payloadType() != G711RtpReceiver.PCMA
                && offer.payloadType() != G711RtpReceiver.PCMU)) {
            tx.respond(SipResponse.replyTo(r, 488, "Not Acceptable Here", null));
            fail(new MediaFailure(MediaFailure.Kind.BAD_ANSWER, 0, "the device's audio offer is not G.711"));
            return;
        }
        MediaTransport t = GbSdp.platformSide(offer);
        long offered = GbSdp.ssrcValue(offer.ssrc());
        if (offer.ssrc() == null) {
            allocated = owner.allocateSsrc();
        }
        String y = offer.ssrc() != null ? offer.ssrc() : allocated;
        RtpReceiver.Sink ignore = new RtpReceiver.Sink() {
            @Override
            public void packet(RtpPacket packet) {
                // a send-only broadcast takes nothing from the device
            }

            @Override
            public void invalid() {
            }
        };
        try {
            endpoint = switch (t) {
                case UDP -> RtpReceiver.udp(group, owner.bindAddress(), ignore);
                case TCP_PASSIVE -> RtpReceiver.tcpPassive(group, owner.bindAddress(), ignore);
                case TCP_ACTIVE -> null;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tx.respond(SipResponse.replyTo(r, 500, "Server Internal Error", null));
            fail(new MediaFailure(MediaFailure.Kind.LOCAL, 0, "interrupted"));
            return;
        } catch (RuntimeException e) {
            tx.respond(SipResponse.replyTo(r, 500, "Server Internal Error", null));
            fail(new MediaFailure(MediaFailure.Kind.LOCAL, 0, "cannot open the audio port: " + e));
            return;
        }
        transport = t;
        remote = offer.address();
        payloadType = offer.payloadType();
        ssrc = offered >= 0 ? offered : GbSdp.ssrcValue(y);
        synchronized (this) {
            sender = new G711RtpSender(payloadType, -1, ssrc, 1, 0);
        }
        if (endpoint != null) {
            endpoint.remote(remote);
        }
        String host = owner.stack().advertisedHost();
        String sdp = "v=0\r\no=" + owner.platformId() + " 0 0 IN IP4 " + host + "\r\ns=Play\r\nc=IN IP4 " + host
                + "\r\nt=0 0\r\nm=audio " + (endpoint != null ? endpoint.localAddress().getPort() : 9)
                + (t == MediaTransport.UDP ? " RTP/AVP " : " TCP/RTP/AVP ") + payloadType
                + "\r\na=sendonly\r\na=rtpmap:" + payloadType + (payloadType == G711RtpReceiver.PCMA ? " PCMA" : " PCMU")
                + "/8000\r\n" + (t == MediaTransport.UDP ? "" : "a=setup:" + (t == MediaTransport.TCP_PASSIVE
                ? "passive" : "active") + "\r\na=connection:new\r\n") + "y=" + y + "\r\n";
        String tag = owner.stack().newToken();
        int sipPort = tx.source().transport() == SipTransport.UDP
                ? owner.stack().udpAddress().getPort() : owner.stack().tcpAddress().getPort();
        SipHeaders h = SipResponse.replyHeaders(r, 200, "OK", tag)
                .add("Contact", "<sip:" + owner.platformId() + "@" + host + ":" + sipPort + ">")
                .add("Content-Type", "application/sdp").build();
        dialog = Dialog.asServer(r, tag, tx.source());
        tx.respond(SipResponse.of(200, "OK", h, sdp.getBytes(StandardCharsets.US_ASCII)));
        Cancellable c = timeout;
        if (c != null) {
            c.cancel();
        }
        if (t != MediaTransport.TCP_ACTIVE) {
            result.complete(this);
            return;
        }
        // the device listens (a=setup:passive): the platform connects to the address of its offer
        RtpReceiver.tcpActive(group, remote, ignore).whenComplete((rx, e) -> {
            if (e != null) {
                fail(new MediaFailure(MediaFailure.Kind.LOCAL, 0, "cannot connect to the device's audio port "
                        + remote + ": " + e));
                Dialog d = dialog;
                if (d != null) {
                    owner.bye(d, "a broadcast to " + targetId);
                }
                return;
            }
            endpoint = rx;
            if (closed) {
                rx.close();
                return;
            }
            result.complete(this);
        });
    }

    boolean inDialog(SipRequest r) {
        Dialog d = dialog;
        return d != null && d.matches(r);
    }

    /** The device ended it. */
    void byeFromDevice() {
        end(false);
    }

    private void fail(MediaFailure f) {
        if (result.isDone()) {
            return;
        }
        end(false);
        LOG.info("voice broadcast to {} failed: {}", targetId, f);
        result.completeExceptionally(new MediaFailureException(f));
    }

    private void end(boolean bye) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Cancellable t = timeout;
        if (t != null) {
            t.cancel();
        }
        RtpReceiver e = endpoint;
        if (e != null) {
            e.close();
        }
        owner.ended(this, allocated);
        Dialog d = dialog;
        if (bye && d != null) {
            owner.bye(d, "a broadcast to " + targetId);
        }
    }

    @Override
    public int send(byte[] codes) throws IOException {
        RtpReceiver e = endpoint;
        List<byte[]> packets;
        synchronized (this) {
            if (closed || e == null || sender == null) {
                throw new IllegalStateException("broadcast ended");
            }
            packets = sender.audio(codes);
        }
        for (byte[] p : packets) {
            if (!e.send(p)) {
                throw new IOException("no audio connection to the device yet");
            }
        }
        return packets.size();
    }

    @Override
    public MediaTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        end(true);
        if (!result.isDone()) {
            result.completeExceptionally(new MediaFailureException(
                    new MediaFailure(MediaFailure.Kind.LOCAL, 0, "closed before the device INVITEd")));
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String targetId() {
        return targetId;
    }

    @Override
    public String callId() {
        Dialog d = dialog;
        return d == null ? null : d.callId();
    }

    @Override
    public int payloadType() {
        return payloadType;
    }

    @Override
    public long ssrc() {
        return ssrc;
    }

    @Override
    public InetSocketAddress remoteAudioAddress() {
        return remote;
    }
}
