package org.arc4j.examples.center.forward;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.Forward;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.core.time.Scheduler;
import org.arc4j.examples.center.api.ApiGuard;
import org.arc4j.examples.center.config.LinksConfig;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;
import org.arc4j.examples.center.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the pipeline forwards (GA 1383 警情转发) to the {@link ForwardTarget} of that recipient: when a case
 * is forwarded — by a forwarding rule at once, or by an operator — the forward is journalled
 * ({@code DATA/forwards}), then delivered; a failed attempt is retried after 1 s, 2 s, 4 s … up to the configured
 * longest delay, for as long as it takes, also after a restart (the journal is read back and every open case's
 * undelivered forward is resumed). A delivery is reported to the pipeline ({@code FORWARD_DELIVERED} by the
 * recipient), which stops the forwarding step's clock against its limit (IP 4 s, PSTN 20 s, wireless 5 s); a phone
 * forward is delivered when the operator confirms it (limit 2 min).
 *
 * <p>Its REST routes: {@code GET /api/forwards} (undelivered forwards with their attempts and last failure),
 * {@code GET /api/terminals/{name}/forwards} and {@code POST /api/terminals/{name}/ack} ({@code {"id": …}}) for
 * terminals. Work runs on one thread of its own, timers on the centre's scheduler. Thread-safe.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ForwardTarget> targets = new LinkedHashMap<>();
    private final AlarmPipeline pipeline;
    private final Function<AlarmCase, ObjectNode> summary;
    private final Scheduler scheduler;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Consumer<String> notice;
    private final ForwardJournal journal;
    private final Executor worker;
    private final ExecutorService ownWorker;
    private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile Supervisor terminalSupervisor;
    private volatile org.arc4j.core.time.Cancellable webhookCheck;

    /** Attempts of one forward so far and the last failure. */
    private record Attempts(int count, String lastFailure, Instant nextAt) {
    }

    private Forwarder(Path dir, List<ForwardTarget> targets, AlarmPipeline pipeline,
                      Function<AlarmCase, ObjectNode> summary, Scheduler scheduler, Duration firstRetry,
                      Duration maxRetry, Consumer<String> notice, Executor worker) throws IOException {
        targets.forEach(t -> this.targets.put(t.name(), t));
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.summary = Objects.requireNonNull(summary, "summary");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.notice = Objects.requireNonNull(notice, "notice");
        this.journal = ForwardJournal.open(dir);
        this.ownWorker = worker == null ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arc4j-center-forward");
            t.setDaemon(true);
            return t;
        }) : null;
        this.worker = worker == null ? ownWorker : worker;
    }

    /**
     * Starts forwarding: listens to the pipeline and resumes what was pending.
     *
     * @param dataDir   the centre's data directory (the journal goes to {@code forwards} in it)
     * @param targets   the targets by recipient name
     * @param pipeline  the pipeline (its forward steps, and where deliveries are reported)
     * @param summary   the JSON of a case sent to recipients
     * @param scheduler the centre's scheduler (retries)
     * @param firstRetry the first retry delay (doubling)
     * @param maxRetry  the longest retry delay
     * @param notice    told what operators must do (a phone forward) or know (a forward that keeps failing)
     * @return the running forwarder
     * @throws IOException if the journal cannot be opened
     */
    public static Forwarder start(Path dataDir, List<ForwardTarget> targets, AlarmPipeline pipeline,
                                  Function<AlarmCase, ObjectNode> summary, Scheduler scheduler, Duration firstRetry,
                                  Duration maxRetry, Consumer<String> notice) throws IOException {
        return start(dataDir, targets, pipeline, summary, scheduler, firstRetry, maxRetry, notice, null);
    }

    /**
     * As {@link #start(Path, List, AlarmPipeline, Function, Scheduler, Duration, Duration, Consumer)}, on a given
     * executor (tests: the calling thread, so that everything happens in the virtual clock's turn).
     */
    static Forwarder start(Path dataDir, List<ForwardTarget> targets, AlarmPipeline pipeline,
                           Function<AlarmCase, ObjectNode> summary, Scheduler scheduler, Duration firstRetry,
                           Duration maxRetry, Consumer<String> notice, Executor worker) throws IOException {
        Forwarder f = new Forwarder(dataDir.resolve("forwards"), targets, pipeline, summary, scheduler, firstRetry,
                maxRetry, notice, worker);
        pipeline.addListener(f::onPipelineEvent);
        f.run(f::resume);
        return f;
    }

    /**
     * The targets of the config's {@code forward.targets}; a webhook's {@code secret} is put into the vault
     * (scope {@code webhook/NAME}, kind {@code OTHER}) unless the vault holds one set through the API.
     *
     * @param config the section
     * @param vault  the credential vault
     * @param scheduler the centre's scheduler (its clock stamps signatures)
     * @return the targets
     */
    public static List<ForwardTarget> targets(LinksConfig.Forward config, CredentialVault vault,
                                              Scheduler scheduler) {
        List<ForwardTarget> out = new ArrayList<>();
        for (LinksConfig.Target t : config.targets()) {
            switch (t.type()) {
                case "webhook" -> {
                    CredentialKey key = CredentialKey.of(CredentialKind.OTHER, "webhook/" + t.name());
                    boolean fromApi = vault.find(key).map(x -> "api".equals(x.option("source"))).orElse(false);
                    if (t.secret() != null && !fromApi && vault.find(key)
                            .map(x -> !x.secret().equals(Secret.ofUtf8(t.secret()))).orElse(true)) {
                        vault.put(key, new Credential(t.name(), Secret.ofUtf8(t.secret()), Map.of("source", "file")));
                    }
                    out.add(new WebhookTarget(t.name(), URI.create(t.url()), ForwardChannel.IP,
                            () -> vault.find(key).map(Credential::secret), scheduler.clock()));
                }
                case "terminal" -> out.add(new TerminalQueueTarget(t.name(), ForwardChannel.IP));
                default -> out.add(new PhoneTarget(t.name(), t.number()));
            }
        }
        return out;
    }

    private void run(Runnable r) {
        if (closed) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.error("forwarding failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void onPipelineEvent(PipelineEvent e) {
        if (e instanceof PipelineEvent.CaseChanged changed) {
            CaseTransition t = changed.transition();
            if (t.action() == CaseAction.FORWARDED || t.action() == CaseAction.FORWARD_CONFIRMED) {
                AlarmCase c = changed.c();
                run(() -> onForwardStep(c, t));
            }
        }
    }

    private void onForwardStep(AlarmCase c, CaseTransition t) {
        String recipient = t.details().get("recipient");
        ForwardTarget target = recipient == null ? null : targets.get(recipient);
        if (target == null) {
            return;
        }
        String id = ForwardRequest.idOf(c.id(), recipient);
        if (t.action() == CaseAction.FORWARDED) {
            if (!journal.isPending(id)) {
                begin(c, findForward(c, recipient), target);
            }
            return;
        }
        // a confirmation: for a phone forward it is the delivery (the operator reached the recipient)
        Forward f = findForward(c, recipient);
        if (f != null && f.deliveredAt() == null
                && (f.channel() == ForwardChannel.PHONE || target.channel() == ForwardChannel.PHONE)) {
            delivered(target, id, c.id(), CaseActor.operator(t.actor().id()));
        }
    }

    private static Forward findForward(AlarmCase c, String recipient) {
        for (Forward f : c.forwards()) {
            if (f.recipient().equals(recipient)) {
                return f;
            }
        }
        return null;
    }

    private void begin(AlarmCase c, Forward f, ForwardTarget target) {
        String id = ForwardRequest.idOf(c.id(), target.name());
        Instant started = f == null ? scheduler.now() : f.startedAt();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", id);
        body.put("caseId", c.id());
        body.put("recipient", target.name());
        body.put("police", f != null && f.police());
        body.put("channel", f == null ? target.channel().name() : f.channel().name());
        body.put("forwardedAt", started.toString());
        body.set("case", summary.apply(c));
        ForwardRequest r = new ForwardRequest(id, c.id(), target.name(), body.toString(), started);
        try {
            journal.add(r);
        } catch (IOException e) {
            // not journalled, not sent: the open case's undelivered forward is found again at the next start
            LOG.error("cannot journal forward {}; it is sent after the next start", id, e);
            notice.accept("forward of case " + c.id() + " to " + target.name() + " could not be journalled: "
                    + "check the disk; forward by phone if it is urgent");
            return;
        }
        attempt(target, r);
    }

    /** After a restart: the journal's pending forwards, and any open case's undelivered one it did not hold. */
    private void resume() {
        for (ForwardRequest r : journal.pending()) {
            ForwardTarget t = targets.get(r.recipient());
            if (t != null) {
                attempt(t, r);
            }
        }
        for (AlarmCase c : pipeline.openCases()) {
            for (Forward f : c.forwards()) {
                ForwardTarget t = targets.get(f.recipient());
                if (t != null && f.deliveredAt() == null && !journal.isPending(ForwardRequest.idOf(c.id(),
                        f.recipient()))) {
                    begin(c, f, t);
                }
            }
        }
    }

    private void attempt(ForwardTarget target, ForwardRequest r) {
        if (closed || !journal.isPending(r.id())) {
            return; // delivered meanwhile (or closing)
        }
        target.deliver(r).whenComplete((outcome, e) -> run(() -> {
            ForwardOutcome o = e != null ? new ForwardOutcome.Failed(e.toString()) : outcome;
            if (o instanceof ForwardOutcome.Delivered) {
                delivered(target, r.id(), r.caseId(), new CaseActor(CaseActor.Kind.EXTERNAL, target.name()));
            } else if (o instanceof ForwardOutcome.Manual m) {
                notice.accept("forward of case " + r.caseId() + " to " + target.name() + ": " + m.instruction());
            } else {
                retry(target, r, ((ForwardOutcome.Failed) o).reason());
            }
        }));
    }

    private void retry(ForwardTarget target, ForwardRequest r, String reason) {
        Attempts a = attempts.get(r.id());
        int n = a == null ? 1 : a.count() + 1;
        long factor = 1L << Math.min(n - 1, 20);
        Duration delay = firstRetry.multipliedBy(factor);
        if (delay.compareTo(maxRetry) > 0) {
            delay = maxRetry;
        }
        attempts.put(r.id(), new Attempts(n, reason, scheduler.now().plus(delay)));
        if (n == 3) {
            notice.accept("forward of case " + r.caseId() + " to " + target.name() + " is failing (" + reason
                    + "); retrying");
        }
        LOG.info("forward {} to {} failed ({}), attempt {}; next in {} ms", r.id(), target.name(), reason, n,
                delay.toMillis());
        if (!closed) {
            scheduler.schedule(delay, () -> attempt(target, r), worker);
        }
    }

    private void delivered(ForwardTarget target, String id, String caseId, CaseActor by) {
        try {
            journal.delivered(id, scheduler.now());
        } catch (IOException e) {
            LOG.error("cannot journal the delivery of {}", id, e);
        }
        attempts.remove(id);
        try {
            pipeline.forwardDelivered(caseId, target.name(), by).whenComplete((c, e) -> {
                if (e != null) {
                    LOG.info("delivery of {} not recorded on the case: {}", id, e.getMessage());
                }
            });
        } catch (RuntimeException e) {
            // the case was archived meanwhile, or delivery was already recorded
            LOG.info("delivery of {} not recorded on the case: {}", id, e.getMessage());
        }
    }

    /**
     * Adds this forwarder's REST routes.
     *
     * @param router the centre's router
     * @param guard  the API's access check
     * @return the router
     */
    public Router routes(Router router, ApiGuard guard) {
        return router
                .get("/api/forwards", r -> {
                    guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
                    ArrayNode out = JsonNodeFactory.instance.arrayNode();
                    for (ForwardRequest f : journal.pending()) {
                        Attempts a = attempts.get(f.id());
                        out.addObject().put("id", f.id()).put("caseId", f.caseId()).put("recipient", f.recipient())
                                .put("startedAt", f.startedAt().toString())
                                .put("attempts", a == null ? 0 : a.count())
                                .put("lastFailure", a == null ? null : a.lastFailure())
                                .put("nextAttempt", a == null ? null : a.nextAt().toString());
                    }
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    n.set("forwards", out);
                    return HttpResponse.ok(n);
                })
                .get("/api/terminals/{name}/forwards", r -> {
                    TerminalQueueTarget t = terminal(r, guard);
                    ArrayNode out = JsonNodeFactory.instance.arrayNode();
                    for (ForwardRequest f : t.pending()) {
                        out.add(JSON.readTree(f.body()));
                    }
                    ObjectNode n = JsonNodeFactory.instance.objectNode();
                    n.set("forwards", out);
                    return HttpResponse.ok(n);
                })
                .post("/api/terminals/{name}/ack", r -> {
                    TerminalQueueTarget t = terminal(r, guard);
                    String id = r.json().path("id").asText("");
                    if (!t.acknowledge(id)) {
                        throw new ApiException(404, "no forward " + id + " waits for " + t.name());
                    }
                    return HttpResponse.ok(JsonNodeFactory.instance.objectNode().put("acknowledged", id));
                });
    }

    private TerminalQueueTarget terminal(HttpRequest r, ApiGuard guard) {
        guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        ForwardTarget t = targets.get(r.param("name"));
        if (!(t instanceof TerminalQueueTarget q)) {
            throw new ApiException(404, "no terminal " + r.param("name"));
        }
        Supervisor s = terminalSupervisor;
        if (s != null) {
            s.checkIn(terminalKey(q), r.remoteHost(), scheduler.now());
        }
        return q;
    }

    private static DeviceKey terminalKey(ForwardTarget t) {
        return DeviceKey.of("terminal", t.name());
    }

    /**
     * Checks the communication with the terminals (GA 1383: with police and customer terminals at least every 24 h):
     * each terminal target is supervised like a device, every call of its queue counts as its check-in, so a
     * terminal that stops fetching goes offline and the operators are prompted.
     *
     * @param supervisor the centre's supervisor
     * @param every      how often a terminal must fetch at least, at most 24 h
     */
    public void superviseTerminals(Supervisor supervisor, Duration every) {
        if (every.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("GA 1383 asks for a check at least every 24 h: " + every);
        }
        for (ForwardTarget t : targets.values()) {
            if (t instanceof TerminalQueueTarget) {
                supervisor.expect(terminalKey(t), every);
            }
        }
        terminalSupervisor = supervisor;
    }

    /**
     * Checks every webhook target's reachability every {@code every} (daily in the centre) with a signed test POST
     * ({@link WebhookTarget#probe}); one that fails is told to the operators like a forward that keeps failing,
     * so a broken third-party receiver is found before an alarm needs it.
     *
     * @param every how often, at most 24 h
     */
    public void checkWebhooks(Duration every) {
        if (every.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("check the webhooks at least every 24 h: " + every);
        }
        org.arc4j.core.time.Cancellable timer = scheduler.scheduleAtFixedRate(every, () -> {
            for (ForwardTarget t : targets.values()) {
                if (t instanceof WebhookTarget w && !closed) {
                    w.probe().thenAccept(o -> {
                        if (o instanceof ForwardOutcome.Failed f) {
                            LOG.warn("webhook {} unreachable: {}", w.name(), f.reason());
                            notice.accept("Webhook " + w.name() + " failed its reachability check: " + f.reason()
                                    + "; forwards to it will be retried, check the receiver");
                        }
                    });
                }
            }
        });
        org.arc4j.core.time.Cancellable old = webhookCheck;
        webhookCheck = timer;
        if (old != null) {
            old.cancel();
        }
    }

    /**
     * @param name a recipient
     * @return its terminal queue, when the recipient is a terminal that acknowledges forwards itself
     */
    public java.util.Optional<TerminalQueueTarget> terminal(String name) {
        return targets.get(name) instanceof TerminalQueueTarget q ? java.util.Optional.of(q)
                : java.util.Optional.empty();
    }

    /** Stops sending; what is pending stays in the journal for the next start. */
    @Override
    public void close() {
        closed = true;
        if (webhookCheck != null) {
            webhookCheck.cancel();
        }
        if (ownWorker != null) {
            ownWorker.shutdownNow();
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.warn("closing the forward journal failed", e);
        }
    }
}
