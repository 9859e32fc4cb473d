package org.arc4j.protocols.onvif;

// Over 500 lines because the pull-point loop (subscribe, pull, renew, re-subscribe with back-off) and the queue that holds
// pulled events until the intake accepts them share one lock and one generation counter; the topic mapping
// is already its own class.

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one device's ONVIF events into alarms: one managed pull-point subscription (ONVIF Core §9.3) whose
 * notifications go through the {@link OnvifTopicMapping} into {@link AlarmEvent}s and the {@link AlarmIntake}.
 *
 * <h2>The subscription</h2>
 * {@code CreatePullPointSubscription}, then {@code PullMessages} with a bounded wait (default 10 s) one after
 * another; {@code Renew} at 80 % of the lifetime the device granted; {@code Unsubscribe} on {@link #close()}.
 * A failed pull or renew (the camera restarted, or ended the subscription early) drops the subscription and
 * makes a new one after a back-off (1 s doubling to 60 s). Every successful pull or renew is a
 * {@link Supervisor} check-in, expected at three times the pull wait, so an unreachable camera or a dead
 * subscription goes offline (GA 1383 设备状态检测). All timers run on the {@link Scheduler}.
 *
 * <h2>Alarms</h2>
 * {@code Initialized} notifications (the state burst after subscribing) only set the known state and never
 * raise an alarm, nor do {@code Deleted} ones. A state becoming true raises a new event, true → false a restore.
 * Topics of one group on one video source (motion as {@code VideoSource/MotionAlarm} and as the cell motion
 * detector's event) raise one alarm between them; the device's media profiles, read once before subscribing, tell
 * which video source a configuration token names.
 * The idempotency key is the device's endpoint reference, topic, source items, {@code UtcTime},
 * {@code PropertyOperation} and the data items (so that a raise and a restore stamped in the same second stay
 * two events).
 *
 * <h2>Nothing pulled is lost</h2>
 * PullMessages has no acknowledgement: once pulled, an event exists only here. It is held in a bounded queue per
 * device (default 1,000 messages) and retried into the intake (every second) until accepted; while the queue is
 * full, new events are dropped and counted, and when room returns one communication event
 * ({@code ARC4J}/{@code ONVIF_EVENTS_DROPPED}) says how many.
 *
 * <p>Thread-safe; callbacks never run on an event loop.
 */
public final class OnvifEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnvifEvents.class);

    private final OnvifDevice device;
    private final AlarmIntake intake;
    private final Supervisor supervisor;
    private final Scheduler scheduler;
    private final OnvifTopicMapping mapping;
    private final String account;
    private final Duration pullTimeout;
    private final int messageLimit;
    private final Duration termination;
    private final Duration minPullInterval;
    private final Duration retryDelay;
    private final Duration maxBackoff;
    private final int queueCapacity;
    private final DeviceKey deviceKey;
    private final Ingress ingress;
    private final Observer observer;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final AlarmMaker alarms;
    private PullPointSubscription subscription;
    private long generation;
    private Cancellable renewTask;
    private Duration backoff;
    private boolean inFlightRequest;
    private boolean delivering;
    private boolean closed;
    private long dropped;
    private long droppedTotal;
    private long droppedReports;
    private int subscriptionsMade;

    private record Pending(List<AlarmEvent> events, IdempotencyKey key) {
    }

    /**
     * Sees every pulled notification with the alarm it raised, for tools that show a device's events as they
     * come ({@code bin/arc4j-onvif events}) without changing what reaches the intake.
     */
    @FunctionalInterface
    public interface Observer {
        /**
         * One notification, in the order pulled. Called on the client's executor before the alarm is queued for
         * the intake; must not block. An exception it throws is logged and otherwise ignored.
         *
         * @param message the notification
         * @param alarms  the alarm events it raised through the topic mapping, empty when none (an unmapped
         *                topic, an {@code Initialized} state, a state that did not change)
         */
        void notification(NotificationMessage message, List<AlarmEvent> alarms);
    }

    private OnvifEvents(Builder b) {
        this.device = b.device;
        this.intake = b.intake;
        this.supervisor = b.supervisor;
        this.scheduler = device.client().scheduler();
        this.mapping = b.mapping;
        this.account = b.account;
        this.pullTimeout = b.pullTimeout;
        this.messageLimit = b.messageLimit;
        this.termination = b.termination;
        this.minPullInterval = b.minPullInterval;
        this.retryDelay = b.retryDelay;
        this.maxBackoff = b.maxBackoff;
        this.queueCapacity = b.queueCapacity;
        this.backoff = b.retryDelay;
        String epr = device.config().endpointReference();
        this.deviceKey = DeviceKey.of("onvif", epr);
        this.ingress = ingressOf(device);
        this.alarms = new AlarmMaker(device, mapping, account, ingress);
        this.observer = b.observer;
    }

    static Ingress ingressOf(OnvifDevice device) {
        return new Ingress("onvif", device.config().address().getHost()
                + (device.config().address().getPort() > 0 ? ":" + device.config().address().getPort() : ""));
    }

    /**
     * Starts a builder.
     *
     * @param device     the device
     * @param intake     where alarms go
     * @param supervisor where check-ins go
     * @return the builder
     */
    public static Builder builder(OnvifDevice device, AlarmIntake intake, Supervisor supervisor) {
        return new Builder(device, intake, supervisor);
    }

    /**
     * Starts supervision and the first subscription.
     *
     * @return this
     */
    public OnvifEvents start() {
        supervisor.expect(deviceKey, pullTimeout.multipliedBy(3));
        // the profiles tell which video source an analytics event's configuration token means, so that one motion
        // reported by two topics is one alarm; a device that does not answer is subscribed to all the same
        synchronized (this) {
            inFlightRequest = true;
        }
        device.getProfiles().whenComplete((ps, e) -> {
            synchronized (this) {
                inFlightRequest = false;
            }
            if (ps != null) {
                alarms.sources(VideoSources.of(ps));
            } else {
                LOG.debug("ONVIF profiles of {} not read, video sources as events name them: {}", ingress.endpoint(),
                        String.valueOf(OnvifDevice.unwrap(e)));
            }
            subscribe();
        });
        return this;
    }

    /** @return the device whose events these are */
    public OnvifDevice device() {
        return device;
    }

    /** @return the supervised device key ({@code onvif}, endpoint reference) */
    public DeviceKey deviceKey() {
        return deviceKey;
    }

    /** @return whether a request to the device is outstanding (tests drive the virtual clock between them) */
    public synchronized boolean requestInFlight() {
        return inFlightRequest;
    }

    /** @return messages pulled but not yet accepted by the intake */
    public synchronized int pending() {
        return queue.size();
    }

    /** @return events dropped because the queue was full, since start */
    public synchronized long dropped() {
        return droppedTotal;
    }

    /** @return subscriptions created since start */
    public synchronized int subscriptionsMade() {
        return subscriptionsMade;
    }

    /** @return the current subscription, or null between subscriptions */
    public synchronized PullPointSubscription subscription() {
        return subscription;
    }

    // ------------------------------------------------------------------------------------ subscription loop

    private void subscribe() {
        long gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            inFlightRequest = true;
            gen = ++generation;
        }
        device.createPullPointSubscription(termination).whenComplete((s, e) -> {
            synchronized (this) {
                inFlightRequest = false;
                if (gen != generation || closed) {
                    if (s != null) {
                        device.unsubscribe(s);
                    }
                    return;
                }
                if (e != null) {
                    LOG.info("ONVIF subscription to {} failed, again in {}: {}", ingress.endpoint(), backoff,
                            String.valueOf(OnvifDevice.unwrap(e)));
                    retryLater();
                    return;
                }
                subscription = s;
                subscriptionsMade++;
                backoff = retryDelay;
                alarms.reset(); // the Initialized burst that follows tells the current states
            }
            checkIn();
            scheduleRenew(gen, s);
            schedulePull(gen, Duration.ZERO);
        });
    }

    private void retryLater() {
        // holds this object's lock
        subscription = null;
        if (renewTask != null) {
            renewTask.cancel();
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
        scheduler.schedule(wait, this::subscribe);
    }

    private void schedulePull(long gen, Duration delay) {
        scheduler.schedule(delay, () -> pull(gen));
    }

    private void pull(long gen) {
        PullPointSubscription s;
        synchronized (this) {
            if (closed || gen != generation || subscription == null) {
                return;
            }
            s = subscription;
            inFlightRequest = true;
        }
        Instant started = scheduler.now();
        device.pullMessages(s, pullTimeout, messageLimit).whenComplete((r, e) -> {
            synchronized (this) {
                inFlightRequest = false;
                if (closed || gen != generation) {
                    return;
                }
                if (e != null) {
                    LOG.info("ONVIF pull from {} failed, subscribing again: {}", ingress.endpoint(),
                            String.valueOf(OnvifDevice.unwrap(e)));
                    retryLater();
                    return;
                }
            }
            checkIn();
            for (NotificationMessage m : r.messages()) {
                handle(m);
            }
            Duration waited = Duration.between(started, scheduler.now());
            // a camera that answers at once with nothing would be polled in a tight loop
            boolean answeredEarly = r.messages().isEmpty() && waited.compareTo(pullTimeout.dividedBy(2)) < 0;
            schedulePull(gen, answeredEarly ? minPullInterval : Duration.ZERO);
        });
    }

    private void scheduleRenew(long gen, PullPointSubscription s) {
        Duration life = s.currentTime() != null && s.terminationTime() != null
                ? Duration.between(s.currentTime(), s.terminationTime()) : termination;
        if (life.isNegative() || life.isZero()) {
            life = termination;
        }
        Duration at = Duration.ofMillis(life.toMillis() * 8 / 10);
        synchronized (this) {
            if (renewTask != null) {
                renewTask.cancel();
            }
            renewTask = scheduler.schedule(at, () -> renew(gen));
        }
    }

    private void renew(long gen) {
        PullPointSubscription s;
        synchronized (this) {
            if (closed || gen != generation || subscription == null) {
                return;
            }
            s = subscription;
        }
        device.renew(s, termination).whenComplete((r, e) -> {
            synchronized (this) {
                if (closed || gen != generation) {
                    return;
                }
                if (e != null) {
                    LOG.info("ONVIF renew at {} failed, subscribing again: {}", ingress.endpoint(),
                            String.valueOf(OnvifDevice.unwrap(e)));
                    retryLater();
                    return;
                }
                subscription = r;
            }
            checkIn();
            scheduleRenew(gen, r);
        });
    }

    private void checkIn() {
        supervisor.checkIn(deviceKey, ingress.toString(), scheduler.now());
    }

    // ------------------------------------------------------------------------------------ alarms

    private void handle(NotificationMessage m) {
        var alarm = alarms.alarm(m, scheduler.now());
        if (observer != null) {
            try {
                observer.notification(m, alarm.map(AlarmMaker.Alarm::events).orElse(List.of()));
            } catch (RuntimeException e) {
                // an observer only watches: its failure must not stop the pull loop or lose the alarm
                LOG.warn("ONVIF event observer failed for {}: {}", ingress.endpoint(), e.toString());
            }
        }
        alarm.ifPresent(a -> enqueue(new Pending(a.events(), a.key())));
    }

    private void enqueue(Pending p) {
        synchronized (this) {
            if (queue.size() >= queueCapacity) {
                dropped++;
                droppedTotal++;
                return;
            }
            addDroppedReport();
            if (queue.size() >= queueCapacity) {
                dropped++;
                droppedTotal++;
                return;
            }
            queue.add(p);
        }
        deliver();
    }

    private void addDroppedReport() {
        // holds this object's lock; the report is only queued when it fits, so it is never dropped itself
        if (dropped == 0 || queue.size() >= queueCapacity) {
            return;
        }
        long n = dropped;
        dropped = 0;
        droppedReports++;
        Instant now = scheduler.now();
        AlarmEvent e = AlarmEvent.builder()
                .account(account)
                .protocol(Protocol.ONVIF)
                .transport(Transport.IP)
                .ingress(ingress)
                .code(CodeSystem.ARC4J, "ONVIF_EVENTS_DROPPED")
                .category(Category.COMMUNICATION)
                .description(n + " ONVIF events dropped: the intake did not take them and the queue was full")
                .receivedAt(now)
                .extended("dropped", Long.toString(n))
                .build();
        queue.add(new Pending(List.of(e), IdempotencyKey.of("onvif-comm", device.config().endpointReference(),
                "ONVIF_EVENTS_DROPPED", Long.toString(droppedReports), now.toString())));
    }

    private void deliver() {
        Pending head;
        synchronized (this) {
            if (delivering || queue.isEmpty()) {
                return;
            }
            delivering = true;
            head = queue.peek();
        }
        CompletableFuture<Receipt> f;
        try {
            f = intake.accept(head.events(), head.key()).toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenCompleteAsync((r, e) -> {
            boolean accepted = r instanceof Receipt.Accepted;
            synchronized (this) {
                delivering = false;
                if (accepted) {
                    queue.poll();
                    addDroppedReport();
                }
            }
            if (accepted) {
                deliver();
            } else {
                LOG.debug("intake refused ONVIF events of {}, retry in {}: {}", ingress.endpoint(), retryDelay,
                        e != null ? e.toString() : r);
                scheduler.schedule(retryDelay, this::deliver);
            }
        }, device.client().executor());
    }

    /**
     * Stops pulling and renewing, unsubscribes (best effort) and stops supervising the device. Events still
     * queued are not delivered after close.
     */
    @Override
    public void close() {
        closeAsync();
    }

    /**
     * {@link #close()}, with a future for the {@code Unsubscribe}: a tool that exits right after closing waits on
     * it so that the camera does not keep a subscription until it expires.
     *
     * @return completes when the device answered the {@code Unsubscribe} (also with a failure: closing is best
     *         effort), at once when there was no subscription or this was closed before
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
            if (renewTask != null) {
                renewTask.cancel();
            }
        }
        supervisor.forget(deviceKey);
        return s == null ? CompletableFuture.completedFuture(null)
                : device.unsubscribe(s).handle((v, e) -> (Void) null);
    }

    /** Settings of {@link OnvifEvents}. Not thread-safe; use once. */
    public static final class Builder {
        private final OnvifDevice device;
        private final AlarmIntake intake;
        private final Supervisor supervisor;
        private OnvifTopicMapping mapping = OnvifTopicMapping.DEFAULT;
        private String account;
        private Duration pullTimeout = Duration.ofSeconds(10);
        private int messageLimit = 100;
        private Duration termination = Duration.ofSeconds(60);
        private Duration minPullInterval = Duration.ofSeconds(1);
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private int queueCapacity = 1000;
        private Observer observer;

        private Builder(OnvifDevice device, AlarmIntake intake, Supervisor supervisor) {
            this.device = Objects.requireNonNull(device, "device");
            this.intake = Objects.requireNonNull(intake, "intake");
            this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
            this.account = device.config().endpointReference();
        }

        /**
         * @param a the account the alarms are filed under (default: the endpoint reference)
         * @return this
         */
        public Builder account(String a) {
            this.account = Objects.requireNonNull(a, "account");
            return this;
        }

        /**
         * @param m the topic mapping
         * @return this
         */
        public Builder mapping(OnvifTopicMapping m) {
            this.mapping = Objects.requireNonNull(m, "mapping");
            return this;
        }

        /**
         * @param wait  the PullMessages wait on the device (default 10 s; supervision expects a pull in three)
         * @param limit the most messages a pull (default 100)
         * @return this
         */
        public Builder pull(Duration wait, int limit) {
            this.pullTimeout = Objects.requireNonNull(wait, "wait");
            this.messageLimit = limit;
            return this;
        }

        /**
         * @param t the subscription lifetime asked for (default 60 s; renewed at 80 %)
         * @return this
         */
        public Builder termination(Duration t) {
            this.termination = Objects.requireNonNull(t, "termination");
            return this;
        }

        /**
         * @param d the pause after an empty pull the device answered early (default 1 s)
         * @return this
         */
        public Builder minPullInterval(Duration d) {
            this.minPullInterval = Objects.requireNonNull(d, "minPullInterval");
            return this;
        }

        /**
         * @param retry   the first back-off and the intake retry interval (default 1 s)
         * @param maxWait the longest back-off (default 60 s)
         * @return this
         */
        public Builder backoff(Duration retry, Duration maxWait) {
            this.retryDelay = Objects.requireNonNull(retry, "retry");
            this.maxBackoff = Objects.requireNonNull(maxWait, "maxWait");
            return this;
        }

        /**
         * @param capacity messages held for the intake at most (default 1,000)
         * @return this
         */
        public Builder queueCapacity(int capacity) {
            if (capacity < 2) {
                throw new IllegalArgumentException("queue capacity below 2");
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * @param o sees every pulled notification and the alarm it raised (default none)
         * @return this
         */
        public Builder observer(Observer o) {
            this.observer = Objects.requireNonNull(o, "observer");
            return this;
        }

        /** @return the event source, not yet started */
        public OnvifEvents build() {
            return new OnvifEvents(this);
        }
    }
}
