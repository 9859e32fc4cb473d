package org.arc4j.examples.center.api;

import java.util.Locale;
import java.util.Map;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AccessDecision;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.DenialReason;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;

/**
 * The check in front of every API call but login and health: the bearer token must name a live session (else
 * 401), and the session's user must hold the permission on the resource (GA 1383 权限管理); a denial is audited as
 * {@code ACCESS_DENIED} and answered 403 with its reason. Thread-safe.
 */
final class AccessGuard {
    private final SessionManager sessions;
    private final AccessControl access;
    private final AuditLog audit;

    AccessGuard(SessionManager sessions, AccessControl access, AuditLog audit) {
        this.sessions = sessions;
        this.access = access;
        this.audit = audit;
    }

    /**
     * The caller's session.
     *
     * @param r the request
     * @return the session its bearer token names
     * @throws ApiException 401 without a token, or for an unknown or expired one
     */
    Session session(HttpRequest r) {
        String token = r.bearerToken();
        if (token == null || token.isEmpty()) {
            throw new ApiException(401, "log in first (Authorization: Bearer TOKEN)");
        }
        return sessions.resolve(Secret.ofUtf8(token))
                .orElseThrow(() -> new ApiException(401, "the token is unknown or expired; log in again"));
    }

    /**
     * The caller's session, if it may do {@code p} on {@code res}.
     *
     * @param r   the request
     * @param p   the permission
     * @param res what it acts on
     * @return the session
     * @throws ApiException 401 as {@link #session}; 403 when denied (audited)
     */
    Session require(HttpRequest r, Permission p, Resource res) {
        Session s = session(r);
        AccessDecision d = access.check(s, p, res);
        if (d instanceof AccessDecision.Denied denied) {
            throw deny(r, s, p, res, denied.reason());
        }
        return s;
    }

    /**
     * A refusal decided elsewhere with the same access control (the pipeline's {@code CaseAccess}), audited and
     * answered like one of {@link #require}'s: the reason is the access control's for this session.
     *
     * @param r   the request
     * @param s   the session that asked
     * @param p   the permission the step needs
     * @param res what it acts on
     * @return the 403, for the caller to throw
     */
    ApiException refused(HttpRequest r, Session s, Permission p, Resource res) {
        AccessDecision d = access.check(s, p, res);
        // granted here yet refused there: the user changed in between; the refusal stands
        return deny(r, s, p, res, d instanceof AccessDecision.Denied denied ? denied.reason()
                : DenialReason.PERMISSION_NOT_GRANTED);
    }

    private ApiException deny(HttpRequest r, Session s, Permission p, Resource res, DenialReason reason) {
        // answered only once the denial is on disk: a crash right after the 403 must not lose its trace
        durably(audit.record(Actor.of(s.username(), r.remoteHost()), AuditAction.ACCESS_DENIED,
                res.kind() + ":" + res.id(), Map.of("permission", p.name(), "reason", reason.name())));
        if (reason == DenialReason.PASSWORD_CHANGE_REQUIRED) {
            return new ApiException(403, "change your password first (PUT /api/users/" + s.username()
                    + "/password)");
        }
        return new ApiException(403, "not permitted: " + p.name().toLowerCase(Locale.ROOT) + " ("
                + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
    }

    /**
     * The decision alone, neither audited nor thrown: for filtering lists and offering actions.
     *
     * @param s   the session
     * @param p   the permission
     * @param res the resource
     * @return the decision
     */
    AccessDecision check(Session s, Permission p, Resource res) {
        return access.check(s, p, res);
    }

    /**
     * @param s   the session
     * @param p   the permission
     * @param res the resource
     * @return whether it is granted
     */
    boolean granted(Session s, Permission p, Resource res) {
        return access.check(s, p, res) instanceof AccessDecision.Granted;
    }

    /** @return the audit log denials go to, for resources that audit other outcomes */
    AuditLog audit() {
        return audit;
    }

    /**
     * Waits until an audit entry is durable (at most 10 s), so that a request is answered only after its trace
     * is on disk. Runs on the HTTP workers, never on an event loop.
     *
     * @param stored the audit log's stage
     * @throws ApiException 503 if the journal does not confirm in time or refuses
     */
    static void durably(java.util.concurrent.CompletionStage<Long> stored) {
        try {
            stored.toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while writing the audit log");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ApiException(503, "the audit log could not be written; try again");
        }
    }
}
