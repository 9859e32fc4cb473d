package org.arc4j.examples.center.api;

import static org.arc4j.examples.center.api.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.Actor;
import org.arc4j.core.security.AuditAction;
import org.arc4j.core.security.PasswordRejectedException;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Role;
import org.arc4j.core.security.Scope;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.UserDirectory;
import org.arc4j.examples.center.CenterUsers;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code POST /api/users}, {@code GET /api/users}, {@code PUT /api/users/{name}} and
 * {@code PUT /api/users/{name}/password}: user accounts with a role and a scope (GA 1383 权限管理), listed, disabled
 * or enabled and given another role by {@code MANAGE_USERS}. Creating users and resetting another user's password need {@code MANAGE_USERS}; everyone
 * may change the own password with the current one. A new user must change the password at the first login.
 * Passwords are checked by the SDK's policy and kept by {@link CenterUsers} across restarts. Thread-safe.
 */
final class UserResource {
    /** The detail key of a refused password's audit entry, as the SDK's directory writes it. */
    static final String REFUSAL = "change";
    /** Its value. */
    static final String REJECTED = "rejected";
    private final AccessGuard guard;
    private final UserDirectory users;
    private final CenterUsers store;

    UserResource(AccessGuard guard, UserDirectory users, CenterUsers store) {
        this.guard = guard;
        this.users = users;
        this.store = store;
    }

    HttpResponse create(HttpRequest r) {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_USERS, Resource.centre());
        String name = text(b, "username");
        String password = b.path("password").asText("");
        if (name == null || !name.matches("[A-Za-z0-9._-]{2,64}")) {
            throw ApiException.badRequest("username must be 2 to 64 letters, digits, dots, dashes or underscores");
        }
        if (password.isEmpty()) {
            throw ApiException.badRequest("password is required");
        }
        Role role;
        try {
            role = UserViews.roleOf(text(b, "role"));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Set<String> customers = new HashSet<>();
        Set<String> sites = new HashSet<>();
        b.path("customers").forEach(x -> customers.add(x.asText()));
        b.path("sites").forEach(x -> sites.add(x.asText()));
        if (text(b, "customer") != null) {
            customers.add(text(b, "customer"));
        }
        // police see the cases forwarded to them; a customer's user sees nothing without its customers or sites
        if (role == Role.CUSTOMER_VIEWER && customers.isEmpty() && sites.isEmpty()) {
            throw ApiException.badRequest("a customer user needs its scope: customers or sites");
        }
        if (users.user(name).isPresent()) {
            throw new ApiException(409, "user " + name + " exists");
        }
        // backed up before and after (GA 1383 数据维护), unless the policy refuses the password anyway
        boolean backedUp = !store.refused(name, Secret.ofUtf8(password));
        try {
            if (backedUp) {
                store.backups().run("before put user " + name);
            }
            store.create(Actor.of(s.username(), r.remoteHost()), name, role, new Scope(customers, sites),
                    Secret.ofUtf8(password));
            if (backedUp) {
                store.backups().run("after put user " + name);
            }
        } catch (PasswordRejectedException e) {
            throw refused(Actor.of(s.username(), r.remoteHost()), name, e);
        } catch (IllegalStateException e) {
            throw new ApiException(409, "user " + name + " exists");
        }
        ObjectNode n = UserViews.json(users.user(name).orElseThrow());
        n.put("passwordChangeRequired", true);
        return HttpResponse.json(201, n);
    }

    HttpResponse password(HttpRequest r) {
        JsonNode b = r.json();
        Session s = guard.session(r);
        String name = r.param("name");
        String next = b.path("password").asText("");
        if (next.isEmpty()) {
            throw ApiException.badRequest("password (the new one) is required");
        }
        if (users.user(name).isEmpty()) {
            throw ApiException.notFound("no user " + name);
        }
        Actor by = Actor.of(s.username(), r.remoteHost());
        boolean reset = false;
        try {
            if (s.username().equals(name)) {
                String current = b.path("current").asText("");
                if (current.isEmpty()) {
                    throw ApiException.badRequest("current (your present password) is required");
                }
                if (!users.changePassword(by, Secret.ofUtf8(current), Secret.ofUtf8(next))) {
                    throw new ApiException(403, "the current password is wrong");
                }
            } else {
                guard.require(r, Permission.MANAGE_USERS, Resource.centre());
                // an administrator's reset is backed up before and after, unless the policy refuses it anyway
                if (!store.refused(name, Secret.ofUtf8(next))) {
                    store.backups().run("before reset-password user " + name);
                    reset = true;
                }
                users.resetPassword(by, name, Secret.ofUtf8(next));
            }
        } catch (PasswordRejectedException e) {
            // the SDK's directory has audited the refusal
            throw ApiException.badRequest("weak password: " + Fields.brokenRules(e.check()));
        }
        store.passwordChanged(name, Secret.ofUtf8(next));
        if (reset) {
            store.backups().run("after reset-password user " + name);
        }
        return HttpResponse.ok(Map.of("user", name, "changed", true));
    }

    /**
     * A new user's weak password refused: audited as {@code PASSWORD_CHANGE} with {@code change=rejected} and the
     * broken rules (never the password), as the SDK's directory audits a refused change or reset, so that the
     * compliance report's "weak passwords refused" counts every refusal.
     */
    private ApiException refused(Actor by, String name, PasswordRejectedException e) {
        String rules = Fields.brokenRules(e.check());
        AccessGuard.durably(guard.audit().record(by, AuditAction.PASSWORD_CHANGE, name,
                Map.of(REFUSAL, REJECTED, "rules", rules)));
        return ApiException.badRequest("weak password: " + rules);
    }

    HttpResponse list(HttpRequest r) {
        guard.require(r, Permission.MANAGE_USERS, Resource.centre());
        com.fasterxml.jackson.databind.node.ArrayNode a =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        users.users().stream().sorted(java.util.Comparator.comparing(org.arc4j.core.security.User::username))
                .forEach(u -> a.add(UserViews.json(u).put("enabled", u.enabled())));
        return HttpResponse.ok(Map.of("users", a));
    }

    /** Role (with its scope) and enabled state; the own account cannot be disabled or demoted by oneself. */
    HttpResponse update(HttpRequest r) {
        JsonNode b = r.json();
        Session s = guard.require(r, Permission.MANAGE_USERS, Resource.centre());
        String name = r.param("name");
        org.arc4j.core.security.User u = users.user(name)
                .orElseThrow(() -> ApiException.notFound("no user " + name));
        if (s.username().equals(name)) {
            throw new ApiException(409, "you cannot change your own role or disable yourself");
        }
        Actor by = Actor.of(s.username(), r.remoteHost());
        JsonNode enabled = b.path("enabled");
        if (!enabled.isMissingNode() && !enabled.isBoolean()) {
            throw ApiException.badRequest("enabled must be true or false");
        }
        if (b.has("role")) {
            Role role;
            try {
                role = UserViews.roleOf(text(b, "role"));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            Set<String> customers = new HashSet<>(u.scope().customerIds());
            Set<String> sites = new HashSet<>(u.scope().siteIds());
            if (b.has("customers") || b.has("sites")) {
                customers.clear();
                sites.clear();
                b.path("customers").forEach(x -> customers.add(x.asText()));
                b.path("sites").forEach(x -> sites.add(x.asText()));
            }
            if (role == Role.CUSTOMER_VIEWER && customers.isEmpty() && sites.isEmpty()) {
                throw ApiException.badRequest("a customer user needs its scope: customers or sites");
            }
            store.backups().run("before put user " + name);
            users.setRoles(by, name, Set.of(role), new Scope(customers, sites));
        } else {
            store.backups().run("before put user " + name);
        }
        if (enabled.isBoolean()) {
            users.setEnabled(by, name, enabled.asBoolean());
        }
        store.changed(name);
        store.backups().run("after put user " + name);
        org.arc4j.core.security.User after = users.user(name).orElseThrow();
        return HttpResponse.ok(UserViews.json(after).put("enabled", after.enabled()));
    }
}
