package org.arc4j.core.security;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.core.credentials.Secret;

/** The answer of {@link UserDirectory#login}: a session and its token, or a typed failure. Immutable. */
public sealed interface LoginResult permits LoginResult.Success, LoginResult.Failure {

    /** Why a login failed. */
    enum Reason {
        /** Unknown user name or wrong password; the two are deliberately not told apart. */
        BAD_CREDENTIALS,
        /** The account is locked after repeated failures, until {@link Failure#lockedUntil()}. */
        LOCKED,
        /** The password was right but the account is disabled. */
        DISABLED
    }

    /**
     * Logged in.
     *
     * @param session the session (check {@link Session#passwordChangeRequired()})
     * @param token   the bearer token for the client
     */
    record Success(Session session, Secret token) implements LoginResult {
        /** Validates. */
        public Success {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * Not logged in.
     *
     * @param reason      why
     * @param lockedUntil the end of the lockout when locked (also when this failure started it), else null
     */
    record Failure(Reason reason, Instant lockedUntil) implements LoginResult {
        /** Validates. */
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
