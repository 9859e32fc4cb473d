package org.arc4j.gb28181.media.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.media.TalkListener;
import org.arc4j.gb28181.media.TalkSession;
import org.arc4j.media.rtp.G711RtpReceiver;
import org.arc4j.media.rtp.G711RtpSender;
import org.arc4j.media.rtp.RtpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One two-way talk (语音对讲), an {@link InviteSession} with a {@code sendrecv} G.711 offer (PCMA and PCMU over
 * RTP/UDP or RFC 4571 TCP, {@code y=} last): the platform's audio is cut into 20 ms packets by
 * {@link G711RtpSender} in the payload type the device chose and sent from the media port (over TCP on the media
 * connection); the device's RTP passes the platform's interceptor and is put in order by sdk-media's
 * {@link G711RtpReceiver} for the listener. The watchdog ends a talk whose device sends no audio ({@code NO_MEDIA})
 * or stops ({@code MEDIA_LOST}). Thread-safe.
 */
final class Talk extends InviteSession<TalkSession> implements TalkSession, G711RtpReceiver.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Talk.class);

    private final TalkListener listener;
    private final G711RtpReceiver receiverG711 = new G711RtpReceiver(-1, this);
    private final AtomicLong received = new AtomicLong();
    private G711RtpSender sender;
    private volatile int payloadType = G711RtpReceiver.PCMA;

    Talk(MediaSessions owner, String deviceId, String channelId, MediaTransport transport, TalkListener listener,
         String ssrc, Duration mediaTimeout) {
        super(owner, deviceId, channelId, ssrc, transport, mediaTimeout);
        this.listener = listener;
    }

    @Override
    TalkSession self() {
        return this;
    }

    @Override
    byte[] offer(int port) {
        return GbSdp.talkOffer(owner.platformId(), owner.stack().advertisedHost(), port, transport, ssrc);
    }

    @Override
    String refusal(GbSdp.Answer a) {
        if (a.payloadType() != G711RtpReceiver.PCMA && a.payloadType() != G711RtpReceiver.PCMU) {
            return "the device's answer is not G.711";
        }
        if (a.tcp() != (transport != MediaTransport.UDP)) {
            return "the device answered " + (a.tcp() ? "TCP" : "UDP") + " to a " + transport + " offer";
        }
        return null;
    }

    @Override
    void answered(GbSdp.Answer a) {
        payloadType = a.payloadType();
        synchronized (this) {
            sender = new G711RtpSender(payloadType, -1, GbSdp.ssrcValue(ssrc), 1, 0);
        }
    }

    @Override
    String mediaName() {
        return "G.711 audio";
    }

    @Override
    String kind() {
        return "TALK";
    }

    @Override
    void flush() {
        synchronized (receiverG711) {
            receiverG711.flush();
        }
    }

    @Override
    void closed(MediaFailure failure) {
        owner.metrics().counter("gb28181.media.talks_ended").increment();
        try {
            listener.onClosed(this, failure);
        } catch (RuntimeException e) {
            LOG.warn("talk listener failed on the end of {}", callId, e);
        }
    }

    // ------------------------------------------------------------------ the device's audio

    @Override
    public void packet(RtpPacket received) {
        if (ended) {
            return;
        }
        RtpPacket p = intercepted(received);
        if (p == null) {
            return;
        }
        synchronized (receiverG711) {
            packets.incrementAndGet();
            this.received.incrementAndGet();
            receiverG711.receive(p);
        }
    }

    @Override
    public void audio(int pt, byte[] codes, long sampleTime) {
        mediaArrived();
        try {
            listener.onAudio(this, pt, codes, sampleTime);
        } catch (RuntimeException e) {
            LOG.warn("talk listener failed on audio of {}", callId, e);
        }
    }

    // ------------------------------------------------------------------ TalkSession

    @Override
    public int send(byte[] codes) throws IOException {
        List<byte[]> out;
        RtpReceiver rx = receiver;
        synchronized (this) {
            if (ended || !isEstablished() || sender == null || rx == null) {
                throw new IllegalStateException("talk ended or not established");
            }
            out = sender.audio(codes);
        }
        for (byte[] p : out) {
            if (!rx.send(p)) {
                throw new IOException("no media connection to the device");
            }
        }
        return out.size();
    }

    @Override
    public void close() {
        super.close();
    }

    @Override
    public boolean isClosed() {
        return ended;
    }

    @Override
    public String targetId() {
        return channelId;
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public MediaTransport transport() {
        return transport;
    }

    @Override
    public int payloadType() {
        return payloadType;
    }

    @Override
    public long ssrc() {
        return GbSdp.ssrcValue(ssrc);
    }

    @Override
    public InetSocketAddress remoteAudioAddress() {
        return remoteMedia;
    }

    @Override
    public InetSocketAddress localAudioAddress() {
        RtpReceiver rx = receiver;
        return rx == null ? null : rx.localAddress();
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
