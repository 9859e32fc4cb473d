package org.arc4j.gb28181.cascade.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestClient;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.cascade.CascadeAlarm;
import org.arc4j.gb28181.cascade.CascadeListener;
import org.arc4j.gb28181.cascade.CascadeSource;
import org.arc4j.gb28181.cascade.ExportedItem;
import org.arc4j.gb28181.cascade.LinkState;
import org.arc4j.gb28181.cascade.UpperPlatform;
import org.arc4j.gb28181.cascade.UpperPlatformLink;
import org.arc4j.gb28181.manscdp.ManscdpCharset;
import org.arc4j.gb28181.manscdp.ManscdpEncoder;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link to one upper platform (GB/T 28181-2016 9.1 注册, 9.6 状态信息报送, 9.4 报警事件通知): REGISTER with
 * digest authentication (one answer per challenge; a second 401 to an answered challenge is a failure), refreshed
 * before it expires; after a failure a wait from the minimum back-off doubling to the maximum; a keepalive MESSAGE
 * every interval, and after the configured number of unanswered keepalives (or a 4xx to one: the upper no longer
 * knows the centre) the link registers again; alarms from the {@link AlarmOutbox} sent while registered and sent
 * again until answered with 200.
 *
 * <p>Every state change runs on the cascade's executor (one thread), so no locks are held while the listener is
 * called; getters read volatile fields and may be called from any thread.
 */
public final class UpperLink implements UpperPlatformLink {
    private static final Logger LOG = LoggerFactory.getLogger(UpperLink.class);
    static final String MANSCDP = "Application/MANSCDP+xml";

    /** What the link needs from its cascade. */
    public record Settings(String localId, String domain, Duration backoffMin, Duration backoffMax,
                           int keepaliveMisses, Duration alarmRetry, ZoneId timeZone) {
    }

    private final UpperPlatform upper;
    private final Settings settings;
    private final SipStack stack;
    private final Scheduler scheduler;
    private final Executor exec;
    private final CascadeListener listener;
    private final CascadeSource source;
    private final ChannelIds ids;
    private final AlarmOutbox outbox;
    private final DigestClient digest;
    private final ManscdpEncoder encoder = ManscdpEncoder.of(ManscdpCharset.GB2312);
    private final SipPeer peer;
    private final String registerCallId;
    private final String registerTag;
    private final AtomicLong sn = new AtomicLong(1);
    private long cseq = 1;

    private volatile LinkState state = LinkState.REGISTERING;
    private volatile Instant registeredUntil;
    private volatile Instant lastKeepaliveAnswered;
    private volatile int pendingCount;
    private long generation;
    private Duration nextBackoff;
    private int keepaliveMisses;
    private Cancellable refreshTimer;
    private Cancellable keepaliveTimer;
    private boolean closed;

    /**
     * A link, not yet started.
     *
     * @param upper     the upper platform
     * @param settings  the cascade's settings
     * @param stack     the cascade's SIP stack
     * @param scheduler the scheduler
     * @param exec      the cascade's executor (one thread)
     * @param listener  where state changes and deliveries go
     * @param source    the exported catalog (to name an alarm's channel)
     * @param ids       the upper's channel IDs
     * @param outbox    the upper's pending alarms
     */
    public UpperLink(UpperPlatform upper, Settings settings, SipStack stack, Scheduler scheduler, Executor exec,
                     CascadeListener listener, CascadeSource source, ChannelIds ids, AlarmOutbox outbox) {
        this.upper = upper;
        this.settings = settings;
        this.stack = stack;
        this.scheduler = scheduler;
        this.exec = exec;
        this.listener = listener;
        this.source = source;
        this.ids = ids;
        this.outbox = outbox;
        this.digest = new DigestClient(settings.localId());
        this.peer = new SipPeer(upper.transport(), new InetSocketAddress(upper.host(), upper.port()));
        this.registerCallId = stack.newToken() + "@" + stack.advertisedHost();
        this.registerTag = stack.newToken();
        this.nextBackoff = settings.backoffMin();
        this.pendingCount = outbox.size();
    }

    @Override
    public UpperPlatform upper() {
        return upper;
    }

    @Override
    public LinkState state() {
        return state;
    }

    @Override
    public Instant registeredUntil() {
        return registeredUntil;
    }

    @Override
    public Instant lastKeepaliveAnswered() {
        return lastKeepaliveAnswered;
    }

    @Override
    public int pendingAlarms() {
        return pendingCount;
    }

    /** @return the channel IDs toward this upper platform */
    public ChannelIds ids() {
        return ids;
    }

    /** Starts registering (call on the cascade's executor). */
    public void start() {
        register("start");
    }

    /**
     * Stops every timer; the state becomes CLOSED (call on the cascade's executor). A registered link first sends
     * REGISTER with {@code Expires: 0} (GB/T 28181-2016 9.1.2 注销), answering one digest challenge.
     *
     * @return when the upper platform answered the un-REGISTER (or at once when the link was not registered);
     *         never fails
     */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> unregistered = new CompletableFuture<>();
        if (state == LinkState.REGISTERED && !closed) {
            unregister(false, unregistered);
        } else {
            unregistered.complete(null);
        }
        closed = true;
        generation++;
        cancelTimers();
        for (AlarmOutbox.Pending p : outbox.all()) {
            p.delivered.completeExceptionally(new IllegalStateException("cascade closed"));
        }
        setState(LinkState.CLOSED, "closed");
        return unregistered;
    }

    private void unregister(boolean answeredChallenge, CompletableFuture<Void> done) {
        SipRequest r = registerRequest("0");
        stack.send(r, peer).whenCompleteAsync((resp, err) -> {
            if (err == null && (resp.status() == 401 || resp.status() == 407) && !answeredChallenge) {
                String header = resp.header(resp.status() == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
                DigestChallenge c = header == null ? null : DigestChallenge.parse(header);
                if (c != null) {
                    digest.challenged(c);
                    unregister(true, done);
                    return;
                }
            }
            LOG.info("un-REGISTER from upper platform {}: {}", upper.id(),
                    err != null ? err.toString() : resp.status() + " " + resp.reason());
            registeredUntil = null;
            done.complete(null);
        }, exec);
    }

    private void cancelTimers() {
        if (refreshTimer != null) {
            refreshTimer.cancel();
            refreshTimer = null;
        }
        if (keepaliveTimer != null) {
            keepaliveTimer.cancel();
            keepaliveTimer = null;
        }
    }

    private void setState(LinkState to, String reason) {
        LinkState from = state;
        if (from == to) {
            return;
        }
        state = to;
        LOG.info("link to upper platform {} {} -> {}: {}", upper.id(), from, to, reason);
        try {
            listener.linkStateChanged(this, from, to, reason);
        } catch (RuntimeException e) {
            LOG.warn("cascade listener failed on a state change", e);
        }
    }

    private Cancellable later(Duration delay, long gen, Runnable task) {
        // the scheduler hands the task to the cascade's thread; a task of an older generation does nothing
        return scheduler.schedule(delay, () -> {
            if (gen == generation && !closed) {
                task.run();
            }
        }, exec);
    }

    private <T> void onExec(CompletionStage<T> stage, long gen, java.util.function.BiConsumer<T, Throwable> then) {
        stage.whenCompleteAsync((v, err) -> {
            if (gen == generation && !closed) {
                then.accept(v, err);
            }
        }, exec);
    }

    private String localAor() {
        return "<sip:" + settings.localId() + "@" + settings.domain() + ">";
    }

    private String upperUri() {
        return "sip:" + upper.id() + "@" + upper.domain();
    }

    private int localPort() {
        InetSocketAddress a = upper.transport().isReliable() && stack.tcpAddress() != null ? stack.tcpAddress()
                : stack.udpAddress() != null ? stack.udpAddress() : stack.tcpAddress();
        return a.getPort();
    }

    private void register(String reason) {
        long gen = ++generation;
        cancelTimers();
        setState(LinkState.REGISTERING, reason);
        sendRegister(gen, false);
    }

    private SipRequest registerRequest() {
        return registerRequest(Long.toString(upper.expires().toSeconds()));
    }

    private SipRequest registerRequest(String expires) {
        String uri = upperUri();
        SipHeaders.Builder h = SipHeaders.builder()
                .add("From", localAor() + ";tag=" + registerTag)
                .add("To", localAor())
                .add("Call-ID", registerCallId)
                .add("CSeq", (cseq++) + " REGISTER")
                .add("Contact", contact())
                .add("Max-Forwards", "70")
                .add("User-Agent", "arc4j")
                .add("Expires", expires);
        if (digest.hasChallenge()) {
            String auth = upper.password().reveal(pw -> digest.answer(SipRequest.REGISTER, uri, pw)).toHeaderValue();
            h.add("Authorization", auth);
        }
        return SipRequest.of(SipRequest.REGISTER, uri, h.build(), null);
    }

    private void sendRegister(long gen, boolean answeredChallenge) {
        onExec(stack.send(registerRequest(), peer), gen, (resp, err) -> {
            if (err != null) {
                failed(err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause().toString() : err.toString());
                return;
            }
            int s = resp.status();
            if (s == 401 || s == 407) {
                String header = resp.header(s == 401 ? "WWW-Authenticate" : "Proxy-Authenticate");
                DigestChallenge c = header == null ? null : DigestChallenge.parse(header);
                if (c == null) {
                    failed(s + " without a digest challenge");
                } else if (answeredChallenge && !c.stale()) {
                    failed(s + " " + resp.reason() + " (wrong password?)");
                } else {
                    digest.challenged(c);
                    sendRegister(gen, true);
                }
            } else if (s >= 200 && s < 300) {
                registered(gen, resp);
            } else {
                failed(s + " " + resp.reason());
            }
        });
    }

    private void registered(long gen, SipResponse resp) {
        long granted = upper.expires().toSeconds();
        String e = resp.header("Expires");
        if (e != null) {
            try {
                granted = Math.max(1, Long.parseLong(e.trim()));
            } catch (NumberFormatException ignored) {
                // keep what was asked
            }
        }
        Instant now = scheduler.now();
        registeredUntil = now.plusSeconds(granted);
        nextBackoff = settings.backoffMin();
        keepaliveMisses = 0;
        boolean wasRegistered = state == LinkState.REGISTERED;
        setState(LinkState.REGISTERED, resp.status() + " " + resp.reason());
        // refresh before expiry: half way for short registrations, 60 s early for long ones
        long refreshIn = Math.max(granted / 2, granted - 60);
        refreshTimer = later(Duration.ofSeconds(refreshIn), gen, this::refresh);
        if (!wasRegistered) {
            keepalive(gen);
            flush();
        }
    }

    private void refresh() {
        long gen = generation;
        sendRegister(gen, false);
    }

    private void failed(String reason) {
        long gen = ++generation;
        cancelTimers();
        registeredUntil = null;
        Duration wait = nextBackoff;
        Duration doubled = nextBackoff.multipliedBy(2);
        nextBackoff = doubled.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : doubled;
        setState(LinkState.BACKING_OFF, reason + "; next attempt in " + wait.toSeconds() + " s");
        refreshTimer = later(wait, gen, () -> register("back-off over"));
    }

    private void keepalive(long gen) {
        onExec(message(encoder.keepalive(sn.getAndIncrement(), settings.localId())), gen, (resp, err) -> {
            if (err == null && resp.status() < 300) {
                keepaliveMisses = 0;
                lastKeepaliveAnswered = scheduler.now();
            } else if (err == null && resp.status() < 500) {
                failed("keepalive answered " + resp.status() + " " + resp.reason());
            } else if (++keepaliveMisses >= settings.keepaliveMisses()) {
                failed(keepaliveMisses + " keepalives lost");
            }
        });
        keepaliveTimer = later(upper.keepaliveInterval(), gen, () -> keepalive(gen));
    }

    /**
     * Sends a MANSCDP MESSAGE to the upper platform in a new transaction (GB/T 28181-2016 9.x, Content-Type
     * Application/MANSCDP+xml).
     *
     * @param body the body (GB2312)
     * @return the final response
     */
    public CompletionStage<SipResponse> message(byte[] body) {
        SipHeaders h = SipHeaders.builder()
                .add("From", localAor() + ";tag=" + stack.newToken())
                .add("To", "<" + upperUri() + ">")
                .add("Call-ID", stack.newToken() + "@" + stack.advertisedHost())
                .add("CSeq", "1 MESSAGE")
                .add("Max-Forwards", "70")
                .add("User-Agent", "arc4j")
                .add("Content-Type", MANSCDP).build();
        return stack.send(SipRequest.of(SipRequest.MESSAGE, upperUri(), h, body), peer);
    }

    /**
     * Forwards an alarm: journalled, then sent at once when registered (call on the cascade's executor).
     *
     * @param alarm the alarm
     * @return when the 200 arrived
     */
    public CompletionStage<Instant> forward(CascadeAlarm alarm) {
        CompletableFuture<Instant> result = new CompletableFuture<>();
        outbox.add(alarm).whenCompleteAsync((p, err) -> {
            if (err != null) {
                result.completeExceptionally(err);
                return;
            }
            pendingCount = outbox.size();
            p.delivered.whenComplete((at, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(at);
                }
            });
            send(p);
        }, exec);
        return result;
    }

    /** Sends every pending alarm not in flight (after registration, on the cascade's executor). */
    private void flush() {
        for (AlarmOutbox.Pending p : outbox.all()) {
            send(p);
        }
    }

    private void send(AlarmOutbox.Pending p) {
        if (closed || p.inFlight || state != LinkState.REGISTERED || p.delivered.isDone()) {
            return;
        }
        CascadeAlarm a = p.alarm;
        // an item this upper does not see goes up as the centre's own alarm
        ExportedItem item = a.localKey() == null ? null : source.catalog(upper.id()).stream()
                .filter(i -> i.localKey().equals(a.localKey())).findFirst().orElse(null);
        String deviceId = item == null ? settings.localId() : ids.idOf(a.localKey());
        if (deviceId == null) {
            // the channel has no ID toward this upper yet: allocate it (journalled) first
            ids.ids(List.of(item)).whenCompleteAsync((m, err) -> {
                if (err != null) {
                    LOG.error("no ID for {} toward {}: alarm {} sent as the centre", a.localKey(), upper.id(),
                            a.reference(), err);
                }
                sendAs(p, err != null ? settings.localId() : m.get(a.localKey()));
            }, exec);
            return;
        }
        sendAs(p, deviceId);
    }

    private void sendAs(AlarmOutbox.Pending p, String deviceId) {
        if (closed || p.inFlight || state != LinkState.REGISTERED || p.delivered.isDone()) {
            return;
        }
        CascadeAlarm a = p.alarm;
        p.inFlight = true;
        p.attempts++;
        if (p.sn < 0) {
            p.sn = sn.getAndIncrement();
        }
        LocalDateTime t = LocalDateTime.ofInstant(a.time(), settings.timeZone());
        byte[] body = encoder.alarmNotify(p.sn, deviceId, a.priority(), a.method(), a.type(), t, a.description());
        message(body).whenCompleteAsync((resp, err) -> {
            p.inFlight = false;
            if (closed) {
                return;
            }
            if (err == null && resp.status() >= 200 && resp.status() < 300) {
                delivered(p);
            } else {
                String why = err != null ? err.toString() : resp.status() + " " + resp.reason();
                LOG.warn("alarm {} to upper platform {} not accepted ({}); sending again in {} s", a.reference(),
                        upper.id(), why, settings.alarmRetry().toSeconds());
                scheduler.schedule(settings.alarmRetry(), () -> send(p), exec);
                try {
                    listener.alarmNotDelivered(upper, a, p.attempts, why);
                } catch (RuntimeException e) {
                    LOG.warn("cascade listener failed on a refused alarm", e);
                }
            }
        }, exec);
    }

    private void delivered(AlarmOutbox.Pending p) {
        Instant at = scheduler.now();
        outbox.remove(p).whenCompleteAsync((pos, err) -> {
            pendingCount = outbox.size();
            if (err != null) {
                LOG.error("could not journal the delivery of alarm {} to {}", p.alarm.reference(), upper.id(), err);
            }
        }, exec);
        pendingCount = outbox.size();
        try {
            listener.alarmDelivered(upper, p.alarm, at, p.attempts);
        } catch (RuntimeException e) {
            LOG.warn("cascade listener failed on a delivery", e);
        }
        p.delivered.complete(at);
    }

    /** @return the centre's Contact toward this upper platform */
    public String contact() {
        return "<sip:" + settings.localId() + "@" + stack.advertisedHost() + ":" + localPort() + ">";
    }

    /** @return where this upper platform is reached */
    public SipPeer peer() {
        return peer;
    }

    /**
     * Sends a request (an in-dialog NOTIFY) in a new client transaction.
     *
     * @param request the request
     * @param to      where to
     * @return the final response
     */
    public CompletionStage<SipResponse> send(SipRequest request, SipPeer to) {
        return stack.send(request, to);
    }

    /** @return a new random token (tags) */
    public String token() {
        return stack.newToken();
    }

    /** @return the encoder for bodies to this upper platform (GB2312) */
    public ManscdpEncoder encoder() {
        return encoder;
    }

    /** @return the next SN */
    public long nextSn() {
        return sn.getAndIncrement();
    }
}
