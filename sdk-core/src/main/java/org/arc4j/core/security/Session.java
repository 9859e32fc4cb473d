package org.arc4j.core.security;

import java.time.Instant;
import java.util.Objects;

/**
 * A logged-in user's session, as {@link SessionManager#resolve} returns it for a bearer token. It binds the
 * user's roles and scope as they were at login: changing a user's roles revokes the user's sessions. It holds no
 * token (the manager keeps only the token's hash). Immutable.
 *
 * @param id                     a public handle for logs and audit (not the token, useless to authenticate)
 * @param user                   the user, with roles and scope
 * @param origin                 where the login came from (an address), or empty
 * @param issuedAt               when it was issued, on the scheduler's clock
 * @param expiresAt              when it expires
 * @param passwordChangeRequired true if the password passed its maximum age: every check is denied until it is
 *                               changed
 */
public record Session(String id, User user, String origin, Instant issuedAt, Instant expiresAt,
                      boolean passwordChangeRequired) {
    /** Validates. */
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** @return the user name */
    public String username() {
        return user.username();
    }
}
