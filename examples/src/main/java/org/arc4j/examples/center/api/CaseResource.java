package org.arc4j.examples.center.api;

import static org.arc4j.examples.center.api.Fields.enumOf;
import static org.arc4j.examples.center.api.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseException;
import org.arc4j.core.pipeline.FalseAlarmCause;
import org.arc4j.core.pipeline.VerificationResult;
import org.arc4j.core.security.AccessDecision;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.DenialReason;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.examples.center.CaseViews;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/cases}, {@code GET /api/cases/{id}}, {@code POST /api/cases/{id}/displayed} and
 * {@code POST /api/cases/{id}/actions}: the alarm queue and the operator's steps through GA 1383 报警接收与处置
 * (response, verification, forwarding, dispatch, closing). Each step goes to the {@link AlarmPipeline} with the
 * logged-in user as actor; the pipeline's authorizer ({@link CaseAccess}) alone decides whether that user may take
 * it, and journals it with that user as actor (an operator relaying a guard's step is the actor, the guard a
 * detail). The answer is sent once the step is durable. A refusal by the authorizer is audited here as
 * {@code ACCESS_DENIED} and answered 403; the pipeline's other refusals become statuses in {@link CenterApi}.
 * Thread-safe.
 */
final class CaseResource {
    /** The queue's order: priority, key customers first, the oldest response clock, then the id. */
    private static final Comparator<AlarmCase> QUEUE_ORDER = Comparator.comparingInt(AlarmCase::priority)
            .thenComparing(AlarmCase::keyCustomer, Comparator.reverseOrder())
            .thenComparing(AlarmCase::responseStart)
            .thenComparing(AlarmCase::id);

    private final AccessGuard guard;
    private final AlarmPipeline pipeline;
    private final CaseViews views;
    private final CaseActions actions;

    CaseResource(AccessGuard guard, AlarmPipeline pipeline, CaseViews views, CaseAccess access) {
        this.guard = guard;
        this.pipeline = pipeline;
        this.views = views;
        this.actions = new CaseActions(access);
    }

    HttpResponse cases(HttpRequest r) {
        Session s = guard.session(r);
        boolean all = "all".equalsIgnoreCase(r.query("state"));
        List<AlarmCase> list = new ArrayList<>();
        for (String id : pipeline.caseIds()) {
            pipeline.get(id).ifPresent(k -> {
                if (all || !k.state().isFinal()) {
                    list.add(k);
                }
            });
        }
        list.sort(QUEUE_ORDER);
        // a scoped user (customer, police, guard) is out of scope for the centre as a whole, and sees its own cases;
        // anyone else who may not view alarms, or must first change the password, gets the 403
        if (guard.check(s, Permission.VIEW_ALARMS, Resource.centre()) instanceof AccessDecision.Denied d
                && d.reason() != DenialReason.OUT_OF_SCOPE) {
            guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (AlarmCase k : list) {
            if (guard.granted(s, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k))) {
                out.add(views.summary(k));
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("cases", out);
        return HttpResponse.ok(n);
    }

    private AlarmCase find(String id) {
        return pipeline.get(id).orElseThrow(() -> ApiException.notFound("no case " + id));
    }

    HttpResponse detail(HttpRequest r) {
        AlarmCase k = find(r.param("id"));
        Session s = guard.require(r, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k));
        return HttpResponse.ok(views.detail(k, actions.allowed(s, k)));
    }

    HttpResponse displayed(HttpRequest r) throws Exception {
        AlarmCase k = find(r.param("id"));
        Session s = guard.require(r, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k));
        AlarmCase after = await(pipeline.present(k.id(), "console:" + s.username() + "@" + r.remoteHost()));
        return HttpResponse.ok(views.detail(after, actions.allowed(s, after)));
    }

    HttpResponse action(HttpRequest r) throws Exception {
        JsonNode b = r.json();
        String action = b.path("action").asText("");
        if (!CaseActions.known(action)) {
            throw ApiException.badRequest("action must be one of " + String.join(", ", CaseActions.ORDER));
        }
        AlarmCase k = find(r.param("id"));
        // a user who may not see the case learns nothing more (and a password to change stops everything here)
        Session s = guard.require(r, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k));
        AlarmCase after;
        try {
            after = apply(action, b, k, s.username());
        } catch (CaseException e) {
            if (e.reason() == CaseException.Reason.DENIED) {
                // the pipeline's authorizer said no: audited with the user who asked, answered 403 with the reason
                Permission p = CaseAccess.permissionFor(CaseActions.step(action)).orElseThrow();
                throw guard.refused(r, s, p, CaseAccess.resourceOf(k));
            }
            throw e;
        }
        return HttpResponse.ok(views.detail(after, actions.allowed(s, after)));
    }

    /** Hands one permitted action to the pipeline with the body's details and the console's defaults. */
    private AlarmCase apply(String action, JsonNode b, AlarmCase k, String user) throws Exception {
        String id = k.id();
        String cause = text(b, "cause");
        return switch (action) {
            case "take" -> await(pipeline.take(id, user));
            case "verify-start" -> await(pipeline.startVerification(id, user, enumOf(VerificationMethod.class,
                    text(b, "method") == null ? "video" : text(b, "method"), "method")));
            case "verify" -> {
                AlarmCase cur = k;
                boolean running = cur.verificationMethod() != null && cur.verificationResult() == null;
                String method = text(b, "method");
                if (!running || method != null && !method.equalsIgnoreCase(cur.verificationMethod().name())) {
                    cur = await(pipeline.startVerification(id, user, enumOf(VerificationMethod.class,
                            method == null ? "video" : method, "method")));
                }
                String result = text(b, "result");
                yield result == null ? cur
                        : await(pipeline.verify(id, user, enumOf(VerificationResult.class, result, "result"), cause));
            }
            case "forward" -> {
                String to = text(b, "recipient") == null ? "police" : text(b, "recipient");
                ForwardChannel ch = text(b, "channel") == null ? ForwardChannel.of(k.transport())
                        : enumOf(ForwardChannel.class, text(b, "channel"), "channel");
                yield await(pipeline.forward(id, user, to, ch, b.has("police") ? b.path("police").asBoolean()
                        : "police".equalsIgnoreCase(to)));
            }
            case "confirm-forward" -> {
                String to = text(b, "recipient");
                if (to == null) {
                    to = k.forwards().isEmpty() ? "police" : k.forwards().get(k.forwards().size() - 1).recipient();
                }
                yield await(pipeline.confirmForward(id, user, to));
            }
            case "dispatch" -> await(pipeline.dispatch(id, user, text(b, "guard") == null ? "guard" : text(b, "guard")));
            case "depart", "arrive", "report", "reset-device" -> {
                CaseAction step = CaseActions.step(action);
                String t = action.equals("report") ? text(b, "report") : cause;
                if (action.equals("reset-device") && t == null) {
                    throw ApiException.badRequest("reset-device needs a cause");
                }
                // the guard reports for themselves; anyone else (an operator on the phone) relays and is the actor
                yield await(user.equals(CaseActions.dispatchedGuard(k)) ? pipeline.guardReport(id, user, step, t)
                        : pipeline.relayGuardReport(id, user, step, t));
            }
            case "notify-client" -> await(pipeline.notified(id, user, b.path("insurer").asBoolean(false),
                    text(b, "channel") == null ? "phone" : text(b, "channel")));
            case "close" -> {
                String result = text(b, "result");
                String summary = result == null ? cause : cause == null ? result : result + ": " + cause;
                yield await(pipeline.close(id, user, summary));
            }
            case "archive" -> await(pipeline.archive(id, user));
            default -> {
                if (cause == null) {
                    throw ApiException.badRequest("mark-false-alarm needs a cause: centre-error or equipment-fault");
                }
                yield await(pipeline.markFalseAlarm(id, user, enumOf(FalseAlarmCause.class, cause, "cause")));
            }
        };
    }

    /**
     * Waits until the pipeline's step is durable; its refusal (a {@code CaseException}) is rethrown as it is.
     *
     * @throws ApiException 503 when the journal does not confirm within 30 s
     */
    private static AlarmCase await(CompletionStage<AlarmCase> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new ApiException(503, "the journal did not confirm the change in time");
        }
    }
}
