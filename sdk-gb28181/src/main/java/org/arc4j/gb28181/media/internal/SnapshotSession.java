package org.arc4j.gb28181.media.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.time.Cancellable;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.Snapshot;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;

/**
 * One image capture (GB/T 28181-2022 §9.14, A.2.3.1.x {@code SnapShotConfig}): the DeviceConfig control naming the
 * number of pictures, their interval, the upload URL and the session; the pictures the device uploads; the
 * {@code UploadSnapShotFinished} notification. Completes when all pictures arrived, or at the timeout with those
 * that did (failing with {@link MediaFailure.Kind#NO_MEDIA} when none did). Thread-safe.
 */
final class SnapshotSession {
    private final MediaSessions owner;
    private final String sessionId;
    private final int count;
    private final List<Snapshot> pictures = new ArrayList<>();
    private final CompletableFuture<List<Snapshot>> result = new CompletableFuture<>();
    private Cancellable timeout;

    SnapshotSession(MediaSessions owner, String sessionId, int count) {
        this.owner = owner;
        this.sessionId = sessionId;
        this.count = count;
    }

    String sessionId() {
        return sessionId;
    }

    CompletableFuture<List<Snapshot>> start(String deviceId, String channelId, Duration interval, String uploadUrl,
                                            Duration wait) {
        String body = "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Control>\r\n<CmdType>DeviceConfig</CmdType>\r\n"
                + "<SN>" + owner.signalling().nextSn() + "</SN>\r\n<DeviceID>" + channelId + "</DeviceID>\r\n"
                + "<SnapShotConfig>\r\n<SnapNum>" + count + "</SnapNum>\r\n<Interval>" + interval.toSeconds()
                + "</Interval>\r\n<UploadURL>" + uploadUrl + "</UploadURL>\r\n<SessionID>" + sessionId
                + "</SessionID>\r\n</SnapShotConfig>\r\n</Control>\r\n";
        SipRequest base;
        try {
            base = owner.signalling().request(SipRequest.MESSAGE, deviceId, channelId,
                    SipHeaders.builder().add("Content-Type", "Application/MANSCDP+xml").build());
        } catch (IllegalStateException e) {
            finish(new MediaFailure(MediaFailure.Kind.LOCAL, 0, e.getMessage()));
            return result;
        }
        synchronized (this) {
            timeout = owner.scheduler().schedule(wait, () -> finish(null));
        }
        owner.stack().send(SipRequest.of(SipRequest.MESSAGE, base.uri(), base.headers(),
                body.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), owner.signalling().destination(deviceId))
                .whenComplete((resp, err) -> {
                    MediaFailure f = MediaSessions.failure(resp, err);
                    if (f != null) {
                        finish(f);
                    }
                });
        return result;
    }

    /** An upload arrived. */
    void picture(byte[] jpeg) {
        boolean all;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            pictures.add(new Snapshot(sessionId, pictures.size() + 1, owner.scheduler().now(), jpeg));
            all = pictures.size() >= count;
        }
        if (all) {
            finish(null);
        }
    }

    /**
     * Ends the capture: with a failure, or with the pictures that arrived (a failure when none did).
     */
    void finish(MediaFailure failure) {
        List<Snapshot> got;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            if (timeout != null) {
                timeout.cancel();
            }
            got = List.copyOf(pictures);
        }
        owner.ended(this);
        if (failure == null && got.isEmpty()) {
            failure = new MediaFailure(MediaFailure.Kind.NO_MEDIA, 0, "no picture was uploaded");
        }
        if (failure != null) {
            result.completeExceptionally(new MediaFailureException(failure));
        } else {
            result.complete(got);
        }
    }
}
