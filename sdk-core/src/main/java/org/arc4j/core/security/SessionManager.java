package org.arc4j.core.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;

/**
 * Short-lived bearer tokens for the reference centre's API (GA 1383 安全性、可靠性: 访问控制). A token is 256 random
 * bits, handed to the client once as unpadded Base64url text; the manager keeps only its SHA-256, so a copy of the
 * manager's memory or a heap dump does not yield usable tokens. Each {@link Session} binds the user's roles and
 * scope at login; sessions expire on the {@link Scheduler}'s clock (checked on every resolve, and purged by a
 * scheduled task) and can be revoked one by one or per user.
 *
 * <p>Thread-safe; {@link #resolve} is a hash and a map lookup and may run on an event loop.
 */
public final class SessionManager {
    /** The default lifetime of a session. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private final Scheduler scheduler;
    private final Duration ttl;
    private final SecureRandom random;
    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();

    private record Entry(Session session, Cancellable purge) {
    }

    /**
     * A token issued at login: the session and the bearer token for the client. The token is shown to the client
     * once and never stored.
     *
     * @param session the session
     * @param token   the bearer token (its UTF-8 text is what the client sends)
     */
    public record Issued(Session session, Secret token) {
        /** Validates. */
        public Issued {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * A session manager.
     *
     * @param scheduler the clock and timers of expiry
     * @param ttl       how long a session lives, positive
     * @param random    the token source
     */
    public SessionManager(Scheduler scheduler, Duration ttl, SecureRandom random) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttl = ttl;
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A session manager with {@link #DEFAULT_TTL} and a new {@link SecureRandom}.
     *
     * @param scheduler the clock and timers of expiry
     */
    public SessionManager(Scheduler scheduler) {
        this(scheduler, DEFAULT_TTL, new SecureRandom());
    }

    /**
     * Issues a session for a user who has just authenticated.
     *
     * @param user                   the user, with current roles and scope
     * @param origin                 where the login came from
     * @param passwordChangeRequired whether the user must change the password before anything else
     * @return the session and its token
     */
    public Issued issue(User user, String origin, boolean passwordChangeRequired) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        Instant now = scheduler.now();
        Session session = new Session(HexFormat.of().formatHex(idBytes), user, origin, now, now.plus(ttl),
                passwordChangeRequired);
        Secret token = Secret.ofUtf8(text);
        String key = hash(text.getBytes(StandardCharsets.UTF_8));
        Cancellable purge = scheduler.scheduleAt(session.expiresAt(), () -> byHash.remove(key));
        byHash.put(key, new Entry(session, purge));
        return new Issued(session, token);
    }

    /**
     * The session a bearer token stands for.
     *
     * @param token the token the client sent
     * @return the session, or empty if the token is unknown, revoked or expired
     */
    public Optional<Session> resolve(Secret token) {
        String key = token.reveal(SessionManager::hash);
        Entry e = byHash.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!scheduler.now().isBefore(e.session.expiresAt())) {
            byHash.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.session);
    }

    /**
     * Replaces a live session's token with a fresh one that lives a full lifetime from now (the old token stops
     * working at once), so that an active client stays logged in without ever holding a long-lived token. The new
     * session keeps the user, scope and origin of the old one.
     *
     * @param token the current token
     * @return the new session and token, or empty if the token is unknown, revoked or expired
     */
    public Optional<Issued> renew(Secret token) {
        String key = token.reveal(SessionManager::hash);
        Entry e = byHash.get(key);
        if (e == null || !scheduler.now().isBefore(e.session.expiresAt()) || !byHash.remove(key, e)) {
            return Optional.empty();
        }
        e.purge.cancel();
        Session old = e.session;
        return Optional.of(issue(old.user(), old.origin(), old.passwordChangeRequired()));
    }

    /**
     * Revokes the session of a token (logout).
     *
     * @param token the token
     * @return the session revoked, or empty if there was none
     */
    public Optional<Session> revoke(Secret token) {
        Entry e = byHash.remove(token.reveal(SessionManager::hash));
        if (e == null) {
            return Optional.empty();
        }
        e.purge.cancel();
        return Optional.of(e.session);
    }

    /**
     * Revokes every session of a user (after a change of roles, scope or password, or when disabled).
     *
     * @param username the user
     * @return the sessions revoked
     */
    public List<Session> revokeUser(String username) {
        List<Session> out = new ArrayList<>();
        byHash.entrySet().removeIf(en -> {
            if (en.getValue().session.username().equals(username)) {
                en.getValue().purge.cancel();
                out.add(en.getValue().session);
                return true;
            }
            return false;
        });
        return out;
    }

    /** @return the sessions not yet expired or revoked */
    public List<Session> active() {
        Instant now = scheduler.now();
        return byHash.values().stream().map(Entry::session).filter(s -> now.isBefore(s.expiresAt())).toList();
    }

    private static String hash(byte[] tokenText) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokenText));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
