package org.arc4j.examples.center.api;

import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;

/**
 * The API's access check for resources that live outside this package (supervision prompts, forwards): the same
 * check as every route of {@link CenterApi} (a live session, else 401; the permission, else 403 audited as
 * {@code ACCESS_DENIED}). Thread-safe.
 */
public final class ApiGuard {
    private final AccessGuard guard;

    /**
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    where denials are audited
     */
    public ApiGuard(SessionManager sessions, AccessControl access, AuditLog audit) {
        this.guard = new AccessGuard(sessions, access, audit);
    }

    /**
     * The caller's session, if it may do {@code p} on {@code res}.
     *
     * @param r   the request
     * @param p   the permission
     * @param res what it acts on
     * @return the session
     * @throws ApiException 401 without a live session; 403 when denied (audited)
     */
    public Session require(HttpRequest r, Permission p, Resource res) {
        return guard.require(r, p, res);
    }
}
