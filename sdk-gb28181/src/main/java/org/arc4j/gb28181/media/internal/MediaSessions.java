package org.arc4j.gb28181.media.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.media.BroadcastSession;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.media.RtpPayloadInterceptor;
import org.arc4j.gb28181.media.Snapshot;
import org.arc4j.gb28181.media.TalkListener;
import org.arc4j.gb28181.media.TalkSession;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.NameAddress;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.arc4j.gb28181.sip.SipTimeoutException;
import org.arc4j.gb28181.sip.SipUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's media sessions (GB/T 28181-2016 §9.2, §9.8): INVITEs out, sessions by Call-ID, BYE and INFO in
 * their dialogs, MediaStatus end-of-file, devices going offline. Owns the event loops the RTP sockets run on
 * (made on first use). Thread-safe.
 */
public final class MediaSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaSessions.class);
    /** How long a device has, beyond the capture itself, to upload its pictures. */
    static final Duration SNAPSHOT_UPLOAD_TIMEOUT = Duration.ofSeconds(30);
    /** How long a talk may go without the device's audio. */
    static final Duration TALK_MEDIA_TIMEOUT = Duration.ofSeconds(10);
    /** How long a device has to INVITE the platform after a Broadcast notification. */
    static final Duration BROADCAST_INVITE_TIMEOUT = Duration.ofSeconds(10);

    private final SipStack stack;
    private final Scheduler scheduler;
    private final Signalling signalling;
    private final String platformId;
    private final String bindHost;
    private final Metrics metrics;
    private final SsrcAllocator ssrcs;
    /** Live, playback, download and talk sessions by Call-ID. */
    private final Map<String, InviteSession<?>> sessions = new ConcurrentHashMap<>();
    private final Set<Broadcast> broadcasts = ConcurrentHashMap.newKeySet();
    private final Map<String, SnapshotSession> snapshots = new ConcurrentHashMap<>();
    private SnapshotReceiver snapshotReceiver;
    private volatile RtpPayloadInterceptor rtpInterceptor;
    private EventLoopGroup group;
    private boolean closed;

    /**
     * Media sessions of a platform.
     *
     * @param stack      the platform's SIP stack
     * @param scheduler  the scheduler media timeouts run on
     * @param signalling requests to devices
     * @param platformId the platform's ID
     * @param domain     the platform's SIP domain (its 4th–8th digits go into SSRCs)
     * @param bindHost   where media sockets are bound
     * @param metrics    where to count
     */
    public MediaSessions(SipStack stack, Scheduler scheduler, Signalling signalling, String platformId,
                         String domain, String bindHost, Metrics metrics) {
        this.stack = stack;
        this.scheduler = scheduler;
        this.signalling = signalling;
        this.platformId = platformId;
        this.bindHost = bindHost;
        this.metrics = metrics;
        this.ssrcs = new SsrcAllocator(domain);
    }

    /**
     * Starts a session: see {@code GbPlatform.invite}.
     *
     * @param request  what to ask for
     * @param listener where media and the end go
     * @return the established session, or a {@link MediaFailureException}
     */
    public CompletableFuture<MediaSession> invite(MediaRequest request, MediaListener listener) {
        EventLoopGroup g = group();
        if (g == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("platform closed"));
        }
        Session s = new Session(this, request, listener, ssrcs.allocate(request.kind().isHistory()));
        return s.start(g);
    }

    /**
     * Starts a two-way talk: see {@code GbPlatform.talk}.
     *
     * @param deviceId  the device
     * @param channelId its audio channel
     * @param transport how the audio travels
     * @param listener  where the device's audio and the end go
     * @return the established talk, or a {@link MediaFailureException}
     */
    public CompletableFuture<TalkSession> talk(String deviceId, String channelId, MediaTransport transport,
                                               TalkListener listener) {
        EventLoopGroup g = group();
        if (g == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("platform closed"));
        }
        return new Talk(this, deviceId, channelId, transport, listener, ssrcs.allocate(false), TALK_MEDIA_TIMEOUT)
                .start(g);
    }

    /** @return the event loops, made on first use, or null once closed */
    private synchronized EventLoopGroup group() {
        if (closed) {
            return null;
        }
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        }
        return group;
    }

    // ------------------------------------------------------------------ image capture

    /**
     * Asks a device for pictures: see {@code GbPlatform.snapshot}.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @param count     how many pictures, 1–10
     * @param interval  between pictures, at least 1 s
     * @return the pictures
     */
    public CompletableFuture<List<Snapshot>> snapshot(String deviceId, String channelId,
                                                                             int count, Duration interval) {
        EventLoopGroup g = group();
        if (g == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("platform closed"));
        }
        SnapshotReceiver rx;
        synchronized (this) {
            if (snapshotReceiver == null) {
                try {
                    snapshotReceiver = new SnapshotReceiver(g, bindAddress(), this::uploaded);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(e);
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(new MediaFailureException(
                            new MediaFailure(MediaFailure.Kind.LOCAL, 0, "cannot open the upload port: " + e)));
                }
            }
            rx = snapshotReceiver;
        }
        String sessionId = stack.newToken();
        SnapshotSession s = new SnapshotSession(this, sessionId, count);
        snapshots.put(sessionId, s);
        String url = "http://" + stack.advertisedHost() + ":" + rx.localAddress().getPort() + SnapshotReceiver.PATH
                + sessionId;
        return s.start(deviceId, channelId, interval, url,
                interval.multipliedBy(count).plus(SNAPSHOT_UPLOAD_TIMEOUT));
    }

    private boolean uploaded(String sessionId, byte[] jpeg) {
        SnapshotSession s = snapshots.get(sessionId);
        if (s == null) {
            return false;
        }
        s.picture(jpeg);
        return true;
    }

    void ended(SnapshotSession s) {
        snapshots.remove(s.sessionId(), s);
    }

    /**
     * Sets the hook every received RTP packet passes through.
     *
     * @param i the interceptor, or null for none
     */
    public void rtpInterceptor(RtpPayloadInterceptor i) {
        this.rtpInterceptor = i;
    }

    RtpPayloadInterceptor rtpInterceptor() {
        return rtpInterceptor;
    }

    // ------------------------------------------------------------------ for Session

    SipStack stack() {
        return stack;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Signalling signalling() {
        return signalling;
    }

    String platformId() {
        return platformId;
    }

    InetSocketAddress bindAddress() {
        return new InetSocketAddress(bindHost, 0);
    }

    Metrics metrics() {
        return metrics;
    }

    void register(InviteSession<?> s) {
        sessions.put(s.callId(), s);
    }

    void ended(InviteSession<?> s) {
        sessions.remove(s.callId(), s);
        ssrcs.release(s.offeredSsrc());
    }

    void ended(Broadcast b, String allocatedSsrc) {
        broadcasts.remove(b);
        if (allocatedSsrc != null) {
            ssrcs.release(allocatedSsrc);
        }
    }

    /**
     * An INVITE from the platform to a device's channel, without Via or body: its Contact, the Subject of
     * GB/T 28181-2016 §9.2.2 (the sender's channel and SSRC, the receiver's ID and its stream number) and the SDP
     * content type.
     *
     * @throws IllegalStateException when the device is not registered
     */
    SipRequest inviteBase(SipPeer dest, String deviceId, String channelId, String ssrc) {
        InetSocketAddress sipLocal = dest.transport() == SipTransport.UDP ? stack.udpAddress() : stack.tcpAddress();
        SipHeaders extra = SipHeaders.builder()
                .add("Contact", "<sip:" + platformId + "@" + stack.advertisedHost() + ":" + sipLocal.getPort() + ">")
                .add("Subject", channelId + ":" + ssrc + "," + platformId + ":0")
                .add("Content-Type", "APPLICATION/SDP")
                .build();
        return signalling.request(SipRequest.INVITE, deviceId, channelId, extra);
    }

    /**
     * Hangs up a dialog the platform is in; a BYE that gets no answer is only logged (the session is over anyway).
     *
     * @param d    the dialog
     * @param what the session, for the log
     */
    void bye(Dialog d, Object what) {
        stack.send(d.newRequest(SipRequest.BYE, null, null), d.peer()).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("BYE of {} got no answer: {}", what, e.toString());
            }
        });
    }

    /**
     * Counts and logs why a session ended.
     *
     * @param what    the session
     * @param failure why, or null when the platform closed it
     */
    void endedWith(Object what, MediaFailure failure) {
        if (failure != null) {
            metrics.counter("gb28181.media.failures", "kind", failure.kind().name()).increment();
            LOG.info("{} ended: {}", what, failure);
        }
    }

    /**
     * What a request to a device came to: null for a 2xx, else a typed failure (no answer within timer B or F, a
     * local error, the device's SIP error).
     */
    static MediaFailure failure(SipResponse resp, Throwable err) {
        if (err != null) {
            Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            return new MediaFailure(c instanceof SipTimeoutException ? MediaFailure.Kind.NO_ANSWER
                    : MediaFailure.Kind.LOCAL, 0, c.getMessage());
        }
        return resp.status() >= 300 ? new MediaFailure(MediaFailure.Kind.REJECTED, resp.status(), resp.reason()) : null;
    }

    String allocateSsrc() {
        return ssrcs.allocate(false);
    }

    // ------------------------------------------------------------------ voice broadcast

    /**
     * Starts a voice broadcast: see {@code GbPlatform.broadcast}.
     *
     * @param deviceId the device
     * @param targetId its audio output channel
     * @return the session once the device's INVITE is answered
     */
    public CompletableFuture<BroadcastSession> broadcast(String deviceId, String targetId) {
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("platform closed"));
            }
        }
        Broadcast b = new Broadcast(this, deviceId, targetId);
        broadcasts.add(b);
        return b.start(signalling.nextSn(), BROADCAST_INVITE_TIMEOUT);
    }

    /**
     * An INVITE from a device: the one a pending voice broadcast waits for (matched by its From user, the target
     * or the device), else 403.
     *
     * @param tx the INVITE's transaction
     */
    public void onInvite(ServerTransaction tx) {
        NameAddress from = tx.request().from();
        SipUri uri = from == null ? null : from.sipUri();
        String user = uri == null ? null : uri.user();
        for (Broadcast b : broadcasts) {
            if (user != null && b.awaits(user)) {
                EventLoopGroup g = group();
                if (g == null) {
                    tx.respond(SipResponse.replyTo(tx.request(), 503, "Service Unavailable", null));
                    return;
                }
                b.onInvite(tx, g);
                return;
            }
        }
        tx.respond(SipResponse.replyTo(tx.request(), 403, "No voice broadcast pending", null));
    }

    // ------------------------------------------------------------------ from the platform

    /** @return the sessions being set up or established */
    public int size() {
        return sessions.size();
    }

    /** @return SSRCs in use */
    public int ssrcsInUse() {
        return ssrcs.inUse();
    }

    /**
     * A BYE from a device: ends its session (200) or, outside any session, 481.
     *
     * @param tx the BYE's transaction
     */
    public void onBye(ServerTransaction tx) {
        InviteSession<?> s = matching(tx.request());
        for (Broadcast b : broadcasts) {
            if (s == null && b.inDialog(tx.request())) {
                tx.respond(SipResponse.replyTo(tx.request(), 200, "OK", null));
                b.byeFromDevice();
                return;
            }
        }
        if (s == null) {
            tx.respond(SipResponse.replyTo(tx.request(), 481, "Call/Transaction Does Not Exist", null));
            return;
        }
        tx.respond(SipResponse.replyTo(tx.request(), 200, "OK", null));
        s.end(new MediaFailure(MediaFailure.Kind.BYE_FROM_DEVICE, 0, "the device sent BYE"), false);
    }

    /**
     * An INFO from a device in a session's dialog: 200, else 481.
     *
     * @param tx the INFO's transaction
     */
    public void onInfo(ServerTransaction tx) {
        boolean known = matching(tx.request()) instanceof Session;
        tx.respond(SipResponse.replyTo(tx.request(), known ? 200 : 481,
                known ? "OK" : "Call/Transaction Does Not Exist", null));
    }

    private InviteSession<?> matching(SipRequest r) {
        InviteSession<?> s = r.callId() == null ? null : sessions.get(r.callId());
        return s != null && s.inDialog(r) ? s : null;
    }

    /**
     * A notification about media: {@code UploadSnapShotFinished} (GB/T 28181-2022 §9.14) ends a capture; MediaStatus
     * (GB/T 28181-2016 §9.8.3; NotifyType 121 is the end of a recording): the device's
     * playback and download sessions of that channel (or of every channel when the DeviceID is the device's) are
     * told.
     *
     * @param deviceId the device it came from
     * @param doc      the document
     */
    public void onMediaStatus(String deviceId, ManscdpDocument doc) {
        if (doc.cmdType().equalsIgnoreCase("UploadSnapShotFinished")) {
            // GB/T 28181-2022 §9.14: the device has uploaded what it could; the capture ends with those pictures
            SnapshotSession s = doc.text("SessionID") == null ? null : snapshots.get(doc.text("SessionID"));
            if (s != null) {
                s.finish(null);
            }
            return;
        }
        if (!"121".equals(doc.text("NotifyType"))) {
            return;
        }
        for (InviteSession<?> each : List.copyOf(sessions.values())) {
            if (!(each instanceof Session s)) {
                continue;
            }
            MediaRequest r = s.request();
            if (r.kind().isHistory() && r.deviceId().equals(deviceId)
                    && (doc.deviceId().equals(r.channelId()) || doc.deviceId().equals(deviceId))) {
                s.endOfFile();
            }
        }
    }

    /**
     * A device went offline or de-registered: its sessions fail with {@link MediaFailure.Kind#DEVICE_GONE}.
     *
     * @param deviceId the device
     */
    public void onDeviceGone(String deviceId) {
        for (InviteSession<?> s : List.copyOf(sessions.values())) {
            if (s.deviceId().equals(deviceId)) {
                s.end(new MediaFailure(MediaFailure.Kind.DEVICE_GONE, 0, "device offline"), true);
            }
        }
    }

    /** Ends every session and broadcast (BYE) and stops the event loops. */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            closed = true;
            g = group;
        }
        for (InviteSession<?> s : List.copyOf(sessions.values())) {
            s.close();
        }
        for (Broadcast b : List.copyOf(broadcasts)) {
            b.close();
        }
        for (SnapshotSession s : List.copyOf(snapshots.values())) {
            s.finish(new MediaFailure(MediaFailure.Kind.LOCAL, 0, "platform closed"));
        }
        synchronized (this) {
            if (snapshotReceiver != null) {
                snapshotReceiver.close();
            }
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
