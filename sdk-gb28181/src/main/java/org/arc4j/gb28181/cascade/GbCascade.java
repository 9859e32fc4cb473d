package org.arc4j.gb28181.cascade;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.cascade.internal.AlarmOutbox;
import org.arc4j.gb28181.cascade.internal.CascadeServer;
import org.arc4j.gb28181.cascade.internal.UpperSubscriptions;
import org.arc4j.gb28181.cascade.internal.MediaRelay;
import org.arc4j.gb28181.cascade.internal.ChannelIds;
import org.arc4j.gb28181.cascade.internal.UpperLink;
import org.arc4j.gb28181.sip.SipStack;

/**
 * The centre as a lower platform toward police and customer platforms (GB/T 28181-2016 §5.1 联网结构, §9; GA 1383
 * 接口要求 and 警情转发): on its own SIP port, one {@link UpperPlatformLink} per upper platform registers with digest
 * authentication and keeps alive; upper platforms may query the centre's catalog, DeviceInfo and DeviceStatus and
 * send PTZ and guard commands, which are relayed to the {@link CascadeSource}; alarms given to
 * {@link #forwardAlarm} go up as {@code Notify}/{@code Alarm} and are sent again until answered with 200.
 *
 * <p>Durability: the IDs of exported items (per upper platform) and the alarms not yet delivered are written to the
 * {@link RecordStore} (a {@code CONFIG_CHANGE} and a {@code CHECKPOINT} record per upper platform) before they are
 * used; a cascade started on the same store resumes the pending forwards and reports their delivery to the
 * {@link CascadeListener}.
 *
 * <p>Catalog subscriptions (SUBSCRIBE with {@code Event: Catalog}) get the whole catalog at once and then what
 * {@link #catalogChanged()} finds changed. An upper platform's INVITE for live video of an exported channel
 * ({@code s=Play}) is relayed from the {@link CascadeSource#media()} source, re-muxed to PS; playback and download
 * ({@code s=Playback}, {@code s=Download}) from its recordings ({@link CascadeMediaSource#openRecording}), with the
 * upper's MANSRTSP passed on and the end of the file (MediaStatus 121) passed up; a channel without recordings is
 * answered 488 with a {@code Warning}, other INVITEs it cannot take 488 with the reason.
 *
 * <p>Thread-safe. All protocol work runs on one thread of the cascade and on the core {@link Scheduler}, so it can run
 * on virtual time.
 */
public final class GbCascade implements AutoCloseable {
    private final SipStack stack;
    private final ExecutorService exec;
    private final Map<String, UpperLink> links;
    private final UpperSubscriptions subscriptions;
    private final MediaRelay relay;

    private GbCascade(SipStack stack, ExecutorService exec, Map<String, UpperLink> links,
                      UpperSubscriptions subscriptions, MediaRelay relay) {
        this.relay = relay;
        this.stack = stack;
        this.exec = exec;
        this.links = links;
        this.subscriptions = subscriptions;
    }

    /**
     * Binds the SIP port and starts registering with every upper platform.
     *
     * @param config    the settings
     * @param scheduler the scheduler every timer runs on
     * @param store     where channel IDs and pending forwards are journalled
     * @param source    the exported catalog and the command relay
     * @param listener  where link state changes and deliveries go
     * @return the running cascade
     * @throws InterruptedException if interrupted while binding
     */
    public static GbCascade start(GbCascadeConfig config, Scheduler scheduler, RecordStore store, CascadeSource source,
                                  CascadeListener listener) throws InterruptedException {
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(source, "source");
        return start(config, scheduler, store, source, listener, Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gb28181-cascade-" + config.localId);
            t.setDaemon(true);
            return t;
        }));
    }

    /** As {@link #start(GbCascadeConfig, Scheduler, RecordStore, CascadeSource, CascadeListener)} on a given
     *  single-thread executor (tests drain it between steps of virtual time). */
    static GbCascade start(GbCascadeConfig config, Scheduler scheduler, RecordStore store, CascadeSource source,
                           CascadeListener listener, ExecutorService exec) throws InterruptedException {
        Objects.requireNonNull(listener, "listener");
        Map<String, UpperLink> links = new LinkedHashMap<>();
        UpperSubscriptions subscriptions = new UpperSubscriptions(config.localId, config.catalogPageSize,
                config.timeZone, scheduler, exec, source);
        SipStack stack = null;
        MediaRelay relay;
        try {
            CascadeServer[] server = new CascadeServer[1];
            stack = SipStack.builder().bindHost(config.bindHost).advertisedHost(config.advertisedHost)
                    .udpPort(config.udpPort).tcpPort(config.tcpPort).scheduler(scheduler)
                    .handler(tx -> server[0].onRequest(tx)).start();
            UpperLink.Settings settings = new UpperLink.Settings(config.localId, config.domain, config.backoffMin,
                    config.backoffMax, config.keepaliveMisses, config.alarmRetry, config.timeZone);
            for (UpperPlatform u : config.uppers) {
                links.put(u.id(), new UpperLink(u, settings, stack, scheduler, exec, listener, source,
                        new ChannelIds(store, scheduler.clock(), u.id(), config.localId),
                        new AlarmOutbox(store, scheduler.clock(), u.id())));
            }
            relay = new MediaRelay(config.localId, config.bindHost, stack, exec, source.media(), source::catalog);
            server[0] = new CascadeServer(config.localId, config.identity(), config.catalogPageSize,
                    config.timeZone, scheduler, exec, source, Map.copyOf(links), subscriptions, relay);
        } catch (InterruptedException | RuntimeException e) {
            if (stack != null) {
                stack.close();
            }
            exec.shutdownNow();
            throw e;
        }
        for (UpperLink l : links.values()) {
            exec.execute(l::start);
        }
        return new GbCascade(stack, exec, links, subscriptions, relay);
    }

    /** @return the cascade's SIP stack (its bound addresses) */
    public SipStack stack() {
        return stack;
    }

    /** @return the links, in configuration order */
    public Collection<UpperPlatformLink> links() {
        return List.copyOf(links.values());
    }

    /**
     * @param upperId an upper platform's ID
     * @return its link, if configured
     */
    public Optional<UpperPlatformLink> link(String upperId) {
        return Optional.ofNullable(links.get(upperId));
    }

    /**
     * The link of the upper platform standing for a pipeline recipient ({@link UpperPlatform#recipient()}).
     *
     * @param recipient the recipient, e.g. {@code police-110}
     * @return its link, if one is configured
     */
    public Optional<UpperPlatformLink> linkFor(String recipient) {
        return links.values().stream().filter(l -> l.upper().recipient().equals(recipient))
                .map(l -> (UpperPlatformLink) l).findFirst();
    }

    /**
     * Forwards an alarm to an upper platform (GA 1383 警情转发): journalled first, sent at once when the link is
     * registered, otherwise as soon as it is, and sent again every {@link GbCascadeConfig#alarmRetry()} until the
     * upper platform answers 200. Forwarding a reference that is still pending is the same forward.
     *
     * @param upperId the upper platform
     * @param alarm   the alarm
     * @return when the 200 arrived (scheduler clock); fails if the upper platform is not configured, the journal
     *         refused the record, or the cascade closed first
     */
    public CompletionStage<Instant> forwardAlarm(String upperId, CascadeAlarm alarm) {
        UpperLink l = links.get(upperId);
        if (l == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no upper platform " + upperId));
        }
        CompletableFuture<Instant> result = new CompletableFuture<>();
        try {
            exec.execute(() -> l.forward(alarm).whenComplete((at, err) -> {
                if (err != null) {
                    result.completeExceptionally(err);
                } else {
                    result.complete(at);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("cascade closed"));
        }
        return result;
    }

    /**
     * Tells the upper platforms that subscribed to the catalog (GB/T 28181-2016 9.11) what changed in
     * {@link CascadeSource#catalog()} since the last call: items added, removed, gone online or offline, or
     * otherwise changed (ADD, DEL, ON, OFF, UPDATE). Call it after the centre's devices or zones changed; it returns
     * at once, the NOTIFYs are sent on the cascade's thread.
     */
    public void catalogChanged() {
        try {
            exec.execute(subscriptions::catalogChanged);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nobody to tell
        }
    }

    /**
     * Tells the upper platforms that subscribed to alarms (GB/T 28181-2016 9.11, SUBSCRIBE with a
     * {@code Query}/{@code Alarm} body) of a new alarm, as a NOTIFY with {@code Notify}/{@code Alarm}, when it meets
     * the subscription's priority range and methods and the upper sees its item. Sent once, not journalled: an alarm
     * an upper must get is forwarded with {@link #forwardAlarm}. Returns at once.
     *
     * @param alarm the alarm (its reference is not sent)
     */
    public void alarmRaised(CascadeAlarm alarm) {
        Objects.requireNonNull(alarm, "alarm");
        try {
            exec.execute(() -> subscriptions.alarm(alarm));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nobody to tell
        }
    }

    /**
     * Reports where an exported item (a vehicle, a body-worn camera, a guard's terminal) is, to the upper platforms
     * that subscribed to its mobile position or to the centre's (GB/T 28181-2016 9.11, A.2.5.5): each gets at most
     * one {@code Notify}/{@code MobilePosition} per the Interval it asked for; a position reported sooner is sent
     * when the interval is over, replaced by any newer one. Returns at once.
     *
     * @param localKey the item's local key
     * @param position the position (its device ID is replaced by the item's exported ID)
     */
    public void positionReported(String localKey, org.arc4j.gb28181.manscdp.MobilePosition position) {
        Objects.requireNonNull(localKey, "localKey");
        Objects.requireNonNull(position, "position");
        try {
            exec.execute(() -> subscriptions.position(localKey, position));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nobody to tell
        }
    }

    /**
     * The 20-digit ID an item carries toward an upper platform, once allocated (a Catalog answer or an alarm
     * allocates it).
     *
     * @param upperId  the upper platform
     * @param localKey the item's local key
     * @return its ID, if allocated (waits for the cascade's thread; do not call from a listener)
     */
    public Optional<String> exportedId(String upperId, String localKey) {
        UpperLink l = links.get(upperId);
        if (l == null) {
            return Optional.empty();
        }
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> l.ids().idOf(localKey), exec);
        try {
            return Optional.ofNullable(f.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        }
    }

    /**
     * Un-registers every registered link (REGISTER with {@code Expires: 0}, waiting up to 2 s for the answers), stops
     * every link, ends the relays and subscriptions and closes the SIP port. Pending forwards stay in the journal for
     * the next start.
     */
    @Override
    public void close() {
        try {
            CompletableFuture<?>[] unregistered = exec.submit(() -> {
                subscriptions.close();
                relay.close();
                return links.values().stream().map(l -> l.close().toCompletableFuture())
                        .toArray(CompletableFuture<?>[]::new);
            }).get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(unregistered).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing anyway
        }
        stack.close();
        exec.shutdown();
        try {
            exec.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
