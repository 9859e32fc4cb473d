package org.arc4j.protocols.onvif;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Basic Notification subscription alive (ONVIF Core §9.2 "Basic Notification Interface";
 * WS-BaseNotification {@code Subscribe}, {@code Renew}, {@code Unsubscribe}): the device pushes {@code Notify}
 * messages to a consumer, usually an {@link OnvifNotificationListener}'s address.
 *
 * <p>{@code Subscribe} asks for a lifetime (default 60 s); {@code Renew} is sent at 80 % of the lifetime the
 * device granted ({@code TerminationTime − CurrentTime}, both on the device's clock, so a clock error does not
 * matter), and again at 80 % of each renewed lifetime. A failed renew (the camera restarted, or dropped the
 * subscription early) or a failed subscribe makes a new subscription after a back-off, 1 s doubling to 60 s by
 * default and never ending before the device's lockout pause (see {@link OnvifDevice}); the back-off starts over
 * after each success. Without this, pushed events stop silently when the subscription runs out. All timers run
 * on the client's {@link Scheduler}; {@link #close()} unsubscribes.
 *
 * <p>Thread-safe.
 */
public final class OnvifNotificationSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnvifNotificationSubscription.class);

    private final OnvifDevice device;
    private final URI consumer;
    private final Scheduler scheduler;
    private final Duration termination;
    private final Duration retryDelay;
    private final Duration maxBackoff;

    private PullPointSubscription subscription;
    private long generation;
    private Cancellable timer;
    private Duration backoff;
    private boolean inFlightRequest;
    private boolean closed;
    private int subscriptionsMade;
    private int renewals;
    private int failures;

    private OnvifNotificationSubscription(Builder b) {
        this.device = b.device;
        this.consumer = b.consumer;
        this.scheduler = device.client().scheduler();
        this.termination = b.termination;
        this.retryDelay = b.retryDelay;
        this.maxBackoff = b.maxBackoff;
        this.backoff = b.retryDelay;
    }

    /**
     * Starts a builder.
     *
     * @param device   the device
     * @param consumer where the device is to send {@code Notify}, e.g. from
     *                 {@link OnvifNotificationListener#register}
     * @return the builder
     */
    public static Builder builder(OnvifDevice device, URI consumer) {
        return new Builder(device, consumer);
    }

    /**
     * Subscribes; renewals and re-subscriptions follow on their own.
     *
     * @return this
     */
    public OnvifNotificationSubscription start() {
        subscribe();
        return this;
    }

    /** @return the current subscription (its manager's address and termination time), or null between two */
    public synchronized PullPointSubscription subscription() {
        return subscription;
    }

    /** @return subscriptions made since start */
    public synchronized int subscriptionsMade() {
        return subscriptionsMade;
    }

    /** @return successful renewals since start */
    public synchronized int renewals() {
        return renewals;
    }

    /** @return failed subscribes and renews since start */
    public synchronized int failures() {
        return failures;
    }

    /** @return whether a request to the device is outstanding (tests drive the virtual clock between them) */
    public synchronized boolean requestInFlight() {
        return inFlightRequest;
    }

    private void subscribe() {
        long gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            inFlightRequest = true;
            gen = ++generation;
        }
        device.subscribe(consumer, termination).whenComplete((s, e) -> {
            synchronized (this) {
                inFlightRequest = false;
                if (gen != generation || closed) {
                    if (s != null) {
                        device.unsubscribe(s);
                    }
                    return;
                }
                if (e != null) {
                    LOG.info("ONVIF Subscribe at {} failed, again in {}: {}", device.config().address().getHost(),
                            backoff, String.valueOf(OnvifDevice.unwrap(e)));
                    retryLater();
                    return;
                }
                subscription = s;
                subscriptionsMade++;
                backoff = retryDelay;
                scheduleRenew(gen, s);
            }
        });
    }

    private void retryLater() {
        // holds this object's lock
        failures++;
        subscription = null;
        if (timer != null) {
            timer.cancel();
        }
        Duration wait = backoff;
        Instant locked = device.lockedUntil();
        if (locked != null) {
            Duration untilUnlocked = Duration.between(scheduler.now(), locked);
            if (untilUnlocked.compareTo(wait) > 0) {
                wait = untilUnlocked;
            }
        }
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        generation++;
        timer = scheduler.schedule(wait, this::subscribe);
    }

    private void scheduleRenew(long gen, PullPointSubscription s) {
        // holds this object's lock
        Duration life = s.currentTime() != null && s.terminationTime() != null
                ? Duration.between(s.currentTime(), s.terminationTime()) : termination;
        if (life.isNegative() || life.isZero()) {
            life = termination;
        }
        if (timer != null) {
            timer.cancel();
        }
        timer = scheduler.schedule(Duration.ofMillis(life.toMillis() * 8 / 10), () -> renew(gen));
    }

    private void renew(long gen) {
        PullPointSubscription s;
        synchronized (this) {
            if (closed || gen != generation || subscription == null) {
                return;
            }
            s = subscription;
            inFlightRequest = true;
        }
        device.renew(s, termination).whenComplete((r, e) -> {
            synchronized (this) {
                inFlightRequest = false;
                if (closed || gen != generation) {
                    return;
                }
                if (e != null) {
                    LOG.info("ONVIF Renew at {} failed, subscribing again in {}: {}",
                            device.config().address().getHost(), backoff, String.valueOf(OnvifDevice.unwrap(e)));
                    retryLater();
                    return;
                }
                subscription = r;
                renewals++;
                scheduleRenew(gen, r);
            }
        });
    }

    /** Stops renewing and unsubscribes (best effort, without waiting: see {@link #closeAsync()}). */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * {@link #close()}, with a future for the {@code Unsubscribe}.
     *
     * @return completes when the device answered (also with a failure: closing is best effort), at once when
     *         there was no subscription or this was closed before
     */
    public CompletableFuture<Void> closeAsync() {
        PullPointSubscription s;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            generation++;
            s = subscription;
            subscription = null;
            if (timer != null) {
                timer.cancel();
            }
        }
        return s == null ? CompletableFuture.completedFuture(null)
                : device.unsubscribe(s).handle((v, e) -> (Void) null);
    }

    /** Settings of an {@link OnvifNotificationSubscription}. Not thread-safe; use once. */
    public static final class Builder {
        private final OnvifDevice device;
        private final URI consumer;
        private Duration termination = Duration.ofSeconds(60);
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);

        private Builder(OnvifDevice device, URI consumer) {
            this.device = Objects.requireNonNull(device, "device");
            this.consumer = Objects.requireNonNull(consumer, "consumer");
        }

        /**
         * @param t the lifetime asked for in {@code Subscribe} and {@code Renew} (default 60 s; renewed at 80 % of
         *          what the device granted)
         * @return this
         */
        public Builder termination(Duration t) {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("termination must be positive: " + t);
            }
            this.termination = t;
            return this;
        }

        /**
         * @param first   the first back-off after a failure (default 1 s)
         * @param longest the longest back-off (default 60 s)
         * @return this
         */
        public Builder backoff(Duration first, Duration longest) {
            this.retryDelay = Objects.requireNonNull(first, "first");
            this.maxBackoff = Objects.requireNonNull(longest, "longest");
            return this;
        }

        /** @return the subscription keeper, not yet started */
        public OnvifNotificationSubscription build() {
            return new OnvifNotificationSubscription(this);
        }
    }
}
