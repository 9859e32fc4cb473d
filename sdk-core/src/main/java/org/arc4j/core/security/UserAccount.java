package org.arc4j.core.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A user account as {@link UserDirectory} keeps it, for the centre to persist and restore across restarts: the
 * user, the personal data the password rules need, the Argon2id hash (store {@link PasswordHash#encoded()}), when
 * the password was set, whether it must be changed, and the recent hashes that cannot be reused. Holds no
 * password. Immutable; {@link #toString()} shows neither personal data nor hashes.
 *
 * @param user                   the user
 * @param personal               the personal data
 * @param passwordHash           the current password's hash
 * @param passwordSetAt          when the password was set
 * @param passwordChangeRequired whether the password must be changed at the next login
 * @param history                recent hashes, newest first (the current one included)
 */
public record UserAccount(User user, PersonalData personal, PasswordHash passwordHash, Instant passwordSetAt,
                          boolean passwordChangeRequired, List<PasswordHash> history) {
    /** Validates and copies. */
    public UserAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(personal, "personal");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(passwordSetAt, "passwordSetAt");
        history = List.copyOf(history);
        if (!personal.username().equals(user.username())) {
            throw new IllegalArgumentException("personal data belong to another user name");
        }
    }

    @Override
    public String toString() {
        return "UserAccount[" + user + ", passwordSetAt=" + passwordSetAt + ", passwordChangeRequired="
                + passwordChangeRequired + "]";
    }
}
