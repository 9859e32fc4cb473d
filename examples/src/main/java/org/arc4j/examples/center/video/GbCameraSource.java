package org.arc4j.examples.center.video;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.rtsp.RtspState;
import org.arc4j.media.video.AccessUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera whose video is a GB/T 28181 channel: a live media session ({@link GbPlatform#invite}) feeds the camera's
 * {@link CameraFeed} as its RTSP session would. A session that cannot start or ends (the device's BYE, lost media, the
 * device gone) marks the feed lost with the reason — the health check reports it as a {@code VIDEO_FAULT} at once,
 * even though the session's last pictures have just arrived — and is invited again after a back-off of 1 s doubling to 30 s, reset by the first picture.
 * Thread-safe.
 */
final class GbCameraSource implements MediaListener, AutoCloseable {
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(GbCameraSource.class);

    private final CameraFeed feed;
    private final GbPlatform platform;
    private final Scheduler scheduler;
    private final String channel;
    private final String configuredDevice;
    private Duration backOff = FIRST_RETRY;
    private MediaSession session;
    private CompletableFuture<MediaSession> pending;
    private Cancellable retry;
    private boolean closed;
    private volatile boolean pictures;

    GbCameraSource(CameraFeed feed, GbPlatform platform, Scheduler scheduler) {
        this.feed = feed;
        this.platform = platform;
        this.scheduler = scheduler;
        String id = feed.config.gb28181();
        int slash = id.indexOf('/');
        this.configuredDevice = slash < 0 ? null : id.substring(0, slash);
        this.channel = id.substring(slash + 1);
    }

    /** Sends the INVITE (again). */
    synchronized void start() {
        if (closed) {
            return;
        }
        retry = null;
        String device = device();
        if (device == null) {
            failed("channel " + channel + " is in no registered device's catalog");
            return;
        }
        pictures = false;
        feed.state(RtspState.CONNECTING, null);
        CompletableFuture<MediaSession> f = platform.invite(MediaRequest.live(device, channel), this);
        pending = f;
        f.whenComplete((s, err) -> {
            synchronized (this) {
                pending = null;
                if (s != null && closed) {
                    s.close();
                } else if (s != null) {
                    session = s;
                } else if (!closed) {
                    Throwable c = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                    failed(c instanceof MediaFailureException m ? m.failure().toString() : String.valueOf(c));
                }
            }
        });
    }

    /** @return the channel's device: the one named in the configuration, the catalog's owner, or the channel itself */
    String device() {
        if (configuredDevice != null) {
            return configuredDevice;
        }
        return platform.registry().ownerOf(channel).map(d -> d.id())
                .orElse(platform.registry().get(channel).isPresent() ? channel : null);
    }

    /** Records why there is no video and invites again after the back-off. Called holding the lock. */
    private void failed(String why) {
        session = null;
        feed.error(why);
        feed.state(RtspState.RECONNECTING, null);
        feed.lost(true);
        LOG.info("camera {}: GB/T 28181 channel {}: {}; invited again in {}", feed.config.id(), channel, why, backOff);
        retry = scheduler.schedule(backOff, this::start);
        Duration next = backOff.multipliedBy(2);
        backOff = next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next;
    }

    @Override
    public void onVideo(MediaSession s, PsStreamType type, AccessUnit unit) {
        if (!pictures) {
            pictures = true;
            synchronized (this) {
                backOff = FIRST_RETRY;
            }
            feed.state(RtspState.PLAYING, null);
            feed.lost(false);
        }
        feed.frame(unit);
    }

    @Override
    public void onAudio(MediaSession s, PsStreamType type, long pts, byte[] data) {
        feed.psAudio(type, pts, data);
    }

    @Override
    public synchronized void onClosed(MediaSession s, MediaFailure failure) {
        if (closed || (session != null && session != s)) {
            return;
        }
        failed(failure == null ? "session closed" : failure.toString());
    }

    /** @return the live session, or null between sessions */
    synchronized MediaSession session() {
        return session;
    }

    /** Ends the session (BYE) and stops inviting. */
    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel();
        }
        if (pending != null) {
            pending.cancel(true);
        }
        if (session != null) {
            session.close();
        }
    }
}
