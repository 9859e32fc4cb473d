package org.arc4j.gb28181.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.BroadcastSession;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.media.rtp.G711RtpReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voice broadcast (GB/T 28181-2016 §9.12, A.2.5): the {@code Broadcast} notification to the device, the
 * device's INVITE answered with the platform's send-only audio SDP, G.711 over RTP/UDP, and BYE either way. A device
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
    private volatile G711Out endpoint;
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
    void onInvite(ServerTransaction tx) {
        SipRequest r = tx.request();
        GbSdp.Answer offer = GbSdp.parseAnswer(r.body());
        if (offer == null || offer.tcp() || (offer.payloadType() != G711RtpReceiver.PCMA
                && offer.payloadType() != G711RtpReceiver.PCMU)) {
            tx.respond(SipResponse.replyTo(r, 488, "Not Acceptable Here", null));
            fail(new MediaFailure(MediaFailure.Kind.BAD_ANSWER, 0, "the device's audio offer is not G.711 over UDP"));
            return;
        }
        long offered = GbSdp.ssrcValue(offer.ssrc());
        if (offer.ssrc() == null) {
            allocated = owner.allocateSsrc();
        }
        String y = offer.ssrc() != null ? offer.ssrc() : allocated;
        try {
            endpoint = G711Out.bind(owner.bindAddress());
        } catch (IOException e) {
            tx.respond(SipResponse.replyTo(r, 500, "Server Internal Error", null));
            fail(new MediaFailure(MediaFailure.Kind.LOCAL, 0, "cannot open the audio port: " + e));
            return;
        }
        remote = offer.address();
        payloadType = offer.payloadType();
        ssrc = offered >= 0 ? offered : GbSdp.ssrcValue(y);
        endpoint.start(payloadType, ssrc, remote);
        String host = owner.stack().advertisedHost();
        String sdp = "v=0\r\no=" + owner.platformId() + " 0 0 IN IP4 " + host + "\r\ns=Play\r\nc=IN IP4 " + host
                + "\r\nt=0 0\r\nm=audio " + endpoint.localAddress().getPort() + " RTP/AVP " + payloadType
                + "\r\na=sendonly\r\na=rtpmap:" + payloadType + (payloadType == G711RtpReceiver.PCMA ? " PCMA" : " PCMU")
                + "/8000\r\ny=" + y + "\r\n";
        String tag = owner.stack().newToken();
        int sipPort = tx.source().transport() == SipTransport.UDP
                ? owner.stack().udpAddress().getPort() : owner.stack().tcpAddress().getPort();
        SipHeaders h = SipResponse.replyHeaders(r, 200, "OK", tag)
                .add("Contact", "<sip:" + owner.platformId() + "@" + host + ":" + sipPort + ">")
                .add("Content-Type", "application/sdp").build();
        dialog = Dialog.asServer(r, tag, tx.source());
        tx.respond(SipResponse.of(200, "OK", h, sdp.getBytes(StandardCharsets.US_ASCII)));
        Cancellable t = timeout;
        if (t != null) {
            t.cancel();
        }
        result.complete(this);
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
        G711Out e = endpoint;
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
        G711Out e = endpoint;
        if (closed || e == null) {
            throw new IllegalStateException("broadcast ended");
        }
        return e.send(codes);
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
