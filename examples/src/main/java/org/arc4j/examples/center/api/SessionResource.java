package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.LoginResult;
import org.arc4j.core.security.Session;
import org.arc4j.core.security.UserDirectory;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code POST /api/login}, {@code POST /api/logout} and {@code GET /api/me}: sessions with bearer tokens. Failed
 * logins are limited per client host by the {@link LoginThrottle} (429) on top of the SDK's per-account lockout
 * (423). Thread-safe.
 */
final class SessionResource {
    private final UserDirectory users;
    private final AccessGuard guard;
    private final LoginThrottle throttle;

    SessionResource(UserDirectory users, AccessGuard guard, LoginThrottle throttle) {
        this.users = users;
        this.guard = guard;
        this.throttle = throttle;
    }

    HttpResponse login(HttpRequest r) {
        JsonNode b = r.json();
        String username = b.path("username").asText("");
        String password = b.path("password").asText("");
        if (username.isEmpty() || password.isEmpty()) {
            throw ApiException.badRequest("username and password are required");
        }
        String origin = r.remoteHost();
        Instant at = throttle.admit(origin);
        if (at == null) {
            throw new ApiException(429, "too many failed logins from " + origin + "; wait a minute");
        }
        LoginResult result = users.login(username, Secret.ofUtf8(password), origin);
        if (result instanceof LoginResult.Success s) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("token", s.token().revealUtf8());
            n.set("user", UserViews.json(s.session().user()));
            n.put("expiresAt", s.session().expiresAt().toString());
            n.put("passwordChangeRequired", s.session().passwordChangeRequired());
            return HttpResponse.ok(n);
        }
        LoginResult.Failure f = (LoginResult.Failure) result;
        throttle.failed(origin, at);
        switch (f.reason()) {
            case LOCKED -> throw new ApiException(423, "account locked until " + f.lockedUntil());
            case DISABLED -> throw new ApiException(403, "account disabled");
            default -> throw new ApiException(401, "wrong user name or password");
        }
    }

    HttpResponse logout(HttpRequest r) {
        guard.session(r);
        users.logout(Secret.ofUtf8(r.bearerToken()), r.remoteHost());
        return HttpResponse.ok(Map.of("loggedOut", true));
    }

    HttpResponse me(HttpRequest r) {
        Session s = guard.session(r);
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("user", UserViews.json(s.user()));
        n.put("expiresAt", s.expiresAt().toString());
        n.put("passwordChangeRequired", s.passwordChangeRequired());
        return HttpResponse.ok(n);
    }
}
