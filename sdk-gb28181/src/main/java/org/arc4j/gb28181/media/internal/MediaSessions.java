package org.arc4j.gb28181.media.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;

/**
 * The platform's media sessions (GB/T 28181-2016 §9.2, §9.8): INVITEs out, sessions by Call-ID, BYE and INFO in
 * their dialogs, MediaStatus end-of-file, devices going offline. Owns the event loops the RTP sockets run on
 * (made on first use). Thread-safe.
 */
public final class MediaSessions implements AutoCloseable {
    private final SipStack stack;
    private final Scheduler scheduler;
    private final Signalling signalling;
    private final String platformId;
    private final String bindHost;
    private final Metrics metrics;
    private final SsrcAllocator ssrcs;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
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
     * @return the established session, or a {@link org.arc4j.gb28181.media.MediaFailureException}
     */
    public CompletableFuture<MediaSession> invite(MediaRequest request, MediaListener listener) {
        EventLoopGroup g;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("platform closed"));
            }
            if (group == null) {
                group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            }
            g = group;
        }
        Session s = new Session(this, request, listener, ssrcs.allocate(request.kind().isHistory()));
        return s.start(g);
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

    void register(Session s) {
        sessions.put(s.callId(), s);
    }

    void ended(Session s) {
        sessions.remove(s.callId(), s);
        ssrcs.release(s.offeredSsrc());
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
        Session s = matching(tx.request());
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
        boolean known = matching(tx.request()) != null;
        tx.respond(SipResponse.replyTo(tx.request(), known ? 200 : 481,
                known ? "OK" : "Call/Transaction Does Not Exist", null));
    }

    private Session matching(SipRequest r) {
        Session s = r.callId() == null ? null : sessions.get(r.callId());
        return s != null && s.inDialog(r) ? s : null;
    }

    /**
     * A MediaStatus notification (GB/T 28181-2016 §9.8.3; NotifyType 121 is the end of a recording): the device's
     * playback and download sessions of that channel (or of every channel when the DeviceID is the device's) are
     * told.
     *
     * @param deviceId the device it came from
     * @param doc      the document
     */
    public void onMediaStatus(String deviceId, ManscdpDocument doc) {
        if (!"121".equals(doc.text("NotifyType"))) {
            return;
        }
        for (Session s : List.copyOf(sessions.values())) {
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
        for (Session s : List.copyOf(sessions.values())) {
            if (s.request().deviceId().equals(deviceId)) {
                s.end(new MediaFailure(MediaFailure.Kind.DEVICE_GONE, 0, "device offline"), true);
            }
        }
    }

    /** Ends every session (BYE) and stops the event loops. */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            closed = true;
            g = group;
        }
        for (Session s : List.copyOf(sessions.values())) {
            s.close();
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
