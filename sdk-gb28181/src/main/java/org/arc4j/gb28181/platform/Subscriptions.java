package org.arc4j.gb28181.platform;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.ManscdpEncoder;
import org.arc4j.gb28181.sip.Dialog;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's subscriptions to devices (GB/T 28181-2016 §9.11: Catalog, alarms, mobile positions): SUBSCRIBE,
 * refresh at 80 % of the lifetime with a new SN (and, for alarms, a window starting at the refresh), NOTIFY
 * matched to its dialog, unsubscribe. Thread-safe.
 */
final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final Scheduler scheduler;
    private final SipStack stack;
    private final DeviceRegistry registry;
    private final DeviceRequests requests;
    private final GbPlatformConfig config;
    private final Map<String, Sub> subscriptions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Subscriptions(GbPlatformConfig config, Scheduler scheduler, SipStack stack, DeviceRegistry registry,
                  DeviceRequests requests) {
        this.config = config;
        this.scheduler = scheduler;
        this.stack = stack;
        this.registry = registry;
        this.requests = requests;
    }

    /** @return the live subscriptions */
    Collection<GbSubscription> all() {
        return subscriptions.values().stream().map(Sub::snapshot).toList();
    }

    /**
     * Checks a NOTIFY against the subscription dialogs and ends a subscription the device terminated.
     *
     * @return false (and the 481 is sent) when it belongs to no subscription of ours
     */
    boolean acceptNotify(ServerTransaction tx) {
        SipRequest r = tx.request();
        Sub sub = subscriptions.get(r.callId());
        if (sub == null || !sub.dialog.matches(r)) {
            Replies.reply(tx, 481, "Subscription Does Not Exist");
            return false;
        }
        String state = r.header("Subscription-State");
        if (state != null && state.toLowerCase(Locale.ROOT).startsWith("terminated")) {
            sub.cancel();
        }
        return true;
    }

    /** Cancels every subscription's refresh timer. */
    void close() {
        closed = true;
        for (Sub sub : List.copyOf(subscriptions.values())) {
            sub.cancel();
        }
    }

    private final class Sub {
        final String deviceId;
        final GbSubscription.Kind kind;
        final Dialog dialog;
        final byte[] body;
        final Duration expires;
        volatile Instant expiresAt;
        volatile Cancellable refresh;
        volatile boolean cancelled;

        Sub(String deviceId, GbSubscription.Kind kind, Dialog dialog, byte[] body, Duration expires, Instant at) {
            this.deviceId = deviceId;
            this.kind = kind;
            this.dialog = dialog;
            this.body = body;
            this.expires = expires;
            this.expiresAt = at;
        }

        GbSubscription snapshot() {
            return new GbSubscription(deviceId, kind, dialog, expiresAt);
        }

        void scheduleRefresh() {
            if (cancelled || closed) {
                return;
            }
            long ms = Math.max(1000, expires.toMillis() * 4 / 5);
            refresh = scheduler.schedule(Duration.ofMillis(ms), this::refresh);
        }

        void refresh() {
            if (cancelled) {
                return;
            }
            // a refresh is a new request: a new SN and, for alarms, a window that starts now (GB/T 28181 §9.11)
            GbDevice d = registry.get(deviceId).orElse(null);
            byte[] fresh = d == null ? body : subscriptionBody(d, kind, expires);
            SipRequest r = dialog.newRequest(SipRequest.SUBSCRIBE, subscribeHeaders(kind, expires, true), fresh);
            stack.send(r, dialog.peer()).whenComplete((resp, err) -> {
                if (err == null && resp.status() < 300) {
                    expiresAt = scheduler.now().plus(expires);
                    scheduleRefresh();
                } else {
                    LOG.info("refresh of {} subscription at {} failed: {}", kind, deviceId,
                            err != null ? err.toString() : resp.status());
                    subscriptions.remove(dialog.callId(), this);
                }
            });
        }

        void cancel() {
            cancelled = true;
            Cancellable c = refresh;
            if (c != null) {
                c.cancel();
            }
            subscriptions.remove(dialog.callId(), this);
        }
    }

    private byte[] subscriptionBody(GbDevice d, GbSubscription.Kind kind, Duration expires) {
        long n = requests.nextSn();
        ManscdpEncoder enc = requests.encoder(d.id());
        LocalDateTime now = LocalDateTime.ofInstant(scheduler.now(), d.timeZone());
        return switch (kind) {
            case CATALOG -> enc.catalogSubscription(n, d.id());
            case ALARM -> enc.alarmSubscription(n, d.id(), now, now.plus(expires));
            case MOBILE_POSITION -> enc.mobilePositionSubscription(n, d.id(), 5);
        };
    }

    private static SipHeaders subscribeHeaders(GbSubscription.Kind kind, Duration expires, boolean body) {
        SipHeaders.Builder b = SipHeaders.builder().add("Event", kind.event())
                .add("Expires", Long.toString(expires.toSeconds()));
        if (body) {
            b.add("Content-Type", GbPlatform.MANSCDP);
        }
        return b.build();
    }

    /**
     * Subscribes to a device's Catalog changes, alarms or mobile positions (GB/T 28181-2016 §9.11); the
     * subscription is refreshed at 80 % of its lifetime until {@link #unsubscribe}.
     *
     * @param deviceId the device
     * @param kind     what to subscribe to
     * @param expires  the subscription lifetime
     * @return the subscription once the device accepted it
     */
    CompletableFuture<GbSubscription> subscribe(String deviceId, GbSubscription.Kind kind, Duration expires) {
        GbDevice d;
        try {
            d = requests.registered(deviceId);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] body = subscriptionBody(d, kind, expires);
        SipRequest base = requests.request(SipRequest.SUBSCRIBE, d, deviceId, null, null);
        SipHeaders h = base.headers().toBuilder()
                .add("Contact", "<sip:" + config.platformId + "@" + stack.advertisedHost() + ":"
                        + (d.peer().transport() == SipTransport.UDP
                        ? stack.udpAddress().getPort() : stack.tcpAddress().getPort()) + ">")
                .build();
        SipHeaders all = h.toBuilder().add("Event", kind.event()).add("Expires", Long.toString(expires.toSeconds()))
                .add("Content-Type", GbPlatform.MANSCDP).build();
        SipRequest r = SipRequest.of(SipRequest.SUBSCRIBE, base.uri(), all, body);
        CompletableFuture<GbSubscription> out = new CompletableFuture<>();
        SipPeer to = requests.destination(d);
        stack.send(r, to).whenComplete((resp, err) -> {
            if (err != null) {
                out.completeExceptionally(err);
                return;
            }
            if (resp.status() >= 300) {
                out.completeExceptionally(new IllegalStateException("SUBSCRIBE refused: " + resp.status()));
                return;
            }
            Dialog dialog = Dialog.asClient(r, resp, to);
            if (dialog == null) {
                out.completeExceptionally(new IllegalStateException("SUBSCRIBE answer without To tag"));
                return;
            }
            Sub s = new Sub(deviceId, kind, dialog, body, expires, scheduler.now().plus(expires));
            subscriptions.put(dialog.callId(), s);
            s.scheduleRefresh();
            out.complete(s.snapshot());
        });
        return out;
    }

    /**
     * Ends a subscription with an in-dialog SUBSCRIBE of {@code Expires: 0}.
     *
     * @param subscription the subscription
     * @return the device's answer
     */
    CompletionStage<SipResponse> unsubscribe(GbSubscription subscription) {
        Sub s = subscriptions.get(subscription.dialog().callId());
        if (s != null) {
            s.cancel();
        }
        SipRequest r = subscription.dialog().newRequest(SipRequest.SUBSCRIBE,
                subscribeHeaders(subscription.kind(), Duration.ZERO, false), null);
        return stack.send(r, subscription.dialog().peer());
    }
}
