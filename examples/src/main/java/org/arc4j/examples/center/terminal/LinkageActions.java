package org.arc4j.examples.center.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the linkage rules' actions when a case opens (GA 1383 业务功能: 事件联动设置; 远程控制): the pipeline
 * records each action on the case and publishes a {@link PipelineEvent.LinkageRequested}; this sends it to the
 * case's site through the device's own protocol, where the device has a downlink, with {@link RemoteControl} (so
 * that each command is audited before it is sent and its answer or timeout after, as the rule's, and shown in the
 * consoles like an operator's).
 *
 * <p>The actions a linkage rule may name (its {@code actions} in the configuration or the rules API):
 * <ul>
 *   <li>{@code relay:<camera>:<token>} (or {@code …:inactive}): an ONVIF camera's relay output
 *       ({@code SetRelayOutputState}): lights, sirens, locks; {@code relay:<token>} switches that output on every
 *       ONVIF camera of the case's site;</li>
 *   <li>{@code arm}, {@code disarm}, {@code reset-alarm}, optionally {@code :<device>}: GB/T 28181 {@code GuardCmd}
 *       or {@code AlarmCmd ResetAlarm} to that device, or to every GB/T 28181 device of the case's site.</li>
 * </ul>
 * Anything else (a name the integrator's own devices understand, e.g. {@code start-recording}), or an action whose
 * site has no such device — a DC-09 panel has none: DC-09 has no downlink — is not sent: it is audited
 * ({@code REMOTE_CONTROL}, state {@code NOT_SENT} and why) so the case's LINKAGE step never stands for a command
 * nobody sent. Actions are not carried out again when the centre restarts (the pipeline publishes them only when a
 * case opens), nor for a case that merged into an open one.
 *
 * <p>At start-up the receivers may accept alarms before the remote control exists (it needs the GB/T 28181
 * platform and the video plane, which start after them): a {@code LinkageActions} made with
 * {@link #LinkageActions(AuditLog)} listens to the pipeline from the start and holds the requests of cases opened
 * before {@link #ready(RemoteControl)} (at most {@value #HELD}; beyond that each is audited as {@code NOT_SENT}), then
 * carries them out in the order the cases opened.
 *
 * <p>Thread-safe: the pipeline's listener only queues; the commands are sent from a thread of their own (writing
 * the audit entry first takes a disk sync).
 */
public final class LinkageActions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkageActions.class);

    /**
     * What one requested action came to.
     *
     * @param caseId  the case
     * @param rule    the linkage rule
     * @param action  the action as the rule names it
     * @param command the command sent ({@link RemoteControl.Command#id()}), or null when nothing was sent
     * @param reason  why nothing was sent, or null
     */
    public record Outcome(String caseId, String rule, String action, String command, String reason) {
    }

    /** How many requests are held until the remote control is ready. */
    static final int HELD = 10_000;

    private final AuditLog audit;
    private final ExecutorService thread;
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final List<PipelineEvent.LinkageRequested> held = new ArrayList<>(); // guarded by lock
    private volatile RemoteControl control; // written under lock

    /**
     * Linkage carried out at once.
     *
     * @param control the remote control (its devices and their sites)
     * @param audit   where actions not sent are audited
     */
    public LinkageActions(RemoteControl control, AuditLog audit) {
        this(audit);
        ready(control);
    }

    /**
     * Linkage that holds what is requested until {@link #ready(RemoteControl)}.
     *
     * @param audit where actions not sent are audited
     */
    public LinkageActions(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "arc4j-center-linkage");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The remote control exists: the held requests are carried out, in the order they came, then each new one.
     *
     * @param control the remote control
     * @throws IllegalStateException if it was ready already
     */
    public void ready(RemoteControl control) {
        Objects.requireNonNull(control, "control");
        synchronized (lock) {
            if (this.control != null) {
                throw new IllegalStateException("the remote control is set already");
            }
            this.control = control;
            if (!held.isEmpty()) {
                LOG.info("carrying out {} linkage action(s) requested before the remote control was ready",
                        held.size());
            }
            held.forEach(this::submit);
            held.clear();
        }
    }

    /** @return how many requests wait for {@link #ready(RemoteControl)} */
    public int held() {
        synchronized (lock) {
            return held.size();
        }
    }

    /**
     * The pipeline's listener: takes the {@link PipelineEvent.LinkageRequested} events, ignores the rest.
     *
     * @param e a pipeline event
     */
    public void onPipelineEvent(PipelineEvent e) {
        if (e instanceof PipelineEvent.LinkageRequested l) {
            synchronized (lock) {
                if (control == null) {
                    if (held.size() < HELD) {
                        held.add(l);
                    } else {
                        notSent(l, Actor.of("linkage:" + l.rule(), "case " + l.caseId()), "more than " + HELD
                                + " linkage actions requested before the remote control was ready");
                    }
                    return;
                }
                submit(l);
            }
        }
    }

    private void submit(PipelineEvent.LinkageRequested l) {
        try {
            thread.execute(() -> carryOut(l));
        } catch (RejectedExecutionException closed) {
            LOG.warn("linkage {} of case {} not carried out: the centre is stopping", l.action(), l.caseId());
        }
    }

    /** @return what the requested actions came to since the start, oldest first */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /**
     * Carries one action out now, on the calling thread.
     *
     * @param l the request
     * @return what came of it: one outcome per command sent, or one that says why nothing was
     */
    List<Outcome> carryOut(PipelineEvent.LinkageRequested l) {
        RemoteControl control = this.control;
        Actor rule = Actor.of("linkage:" + l.rule(), "case " + l.caseId());
        List<Outcome> out = new ArrayList<>();
        String[] p = l.action().split(":", -1);
        String verb = p[0];
        try {
            switch (verb) {
                case "relay" -> {
                    boolean active = !(p.length > 1 && p[p.length - 1].equals("inactive"));
                    int n = active ? p.length : p.length - 1;
                    if (n == 3) {
                        out.add(sent(l, control.relay(p[1], p[2], active, rule)));
                    } else if (n == 2) {
                        for (RemoteControl.Target t : ofSite(l.siteId(), "onvif")) {
                            out.add(sent(l, control.relay(t.id(), p[1], active, rule)));
                        }
                    } else {
                        out.add(notSent(l, rule, "malformed: relay:<camera>:<token>[:inactive] or relay:<token>"));
                    }
                }
                case "arm", "disarm", "reset-alarm" -> {
                    List<String> devices = new ArrayList<>();
                    if (p.length == 2) {
                        devices.add(p[1]);
                    } else if (p.length == 1) {
                        ofSite(l.siteId(), "gb28181").forEach(t -> devices.add(t.id()));
                    } else {
                        out.add(notSent(l, rule, "malformed: " + verb + "[:<device>]"));
                    }
                    for (String d : devices) {
                        RemoteControl.Target t = control.target(d);
                        if (t == null || !t.kind().equals("gb28181")) {
                            out.add(notSent(l, rule, d + " is no GB/T 28181 device of the centre (DC-09 panels "
                                    + "have no downlink)"));
                        } else {
                            out.add(sent(l, verb.equals("reset-alarm") ? control.resetAlarm(d, rule)
                                    : control.guard(d, verb.equals("arm"), rule)));
                        }
                    }
                }
                default -> out.add(notSent(l, rule, "not an action the centre carries out (relay, arm, disarm, "
                        + "reset-alarm); left to the integrator"));
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.add(notSent(l, rule, e.getMessage()));
        }
        if (out.isEmpty()) {
            out.add(notSent(l, rule, "site " + l.siteId() + " has no device for it (a DC-09 panel has no downlink)"));
        }
        outcomes.addAll(out);
        return out;
    }

    private List<RemoteControl.Target> ofSite(String siteId, String kind) {
        return control.targets().stream().filter(t -> t.kind().equals(kind) && siteId != null
                && siteId.equals(t.siteId())).toList();
    }

    private static Outcome sent(PipelineEvent.LinkageRequested l, RemoteControl.Command c) {
        return new Outcome(l.caseId(), l.rule(), l.action(), c.id(), null);
    }

    private Outcome notSent(PipelineEvent.LinkageRequested l, Actor rule, String why) {
        LOG.info("linkage {} of case {} (rule {}) not sent: {}", l.action(), l.caseId(), l.rule(), why);
        audit.record(rule, AuditAction.REMOTE_CONTROL, "linkage:" + l.caseId(),
                Map.of("command", l.action(), "state", "NOT_SENT", "result", why));
        return new Outcome(l.caseId(), l.rule(), l.action(), null, why);
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (!held.isEmpty()) {
                LOG.warn("{} linkage action(s) not carried out: the centre stopped before its remote control was "
                        + "ready", held.size());
                held.clear();
            }
        }
        thread.shutdown();
    }
}
