package org.arc4j.core.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.Counter;
import org.arc4j.core.metrics.Metrics;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The centre's operators: accounts with roles and scope, Argon2id password hashes with their history, login with
 * lockout and back-off, sessions, and an audit entry for every login, failure, lockout, permission and password
 * change (GA 1383 系统管理, 权限管理; 安全性、可靠性: user name and password differ, no weak passwords, periodic change).
 *
 * <p>A password set by someone else (at creation or by an administrator's reset), or older than the policy's
 * maximum age, must be changed at the next login: the session is then marked
 * {@link Session#passwordChangeRequired()} and {@link AccessControl#check(Session, Permission, Resource)} denies
 * everything until {@link #changePassword} succeeds. Changing roles, scope, enabled state or password revokes the
 * user's sessions, so a session never carries stale permissions.
 *
 * <p>Accounts live in memory (a centre persists them through its own configuration store); the audit trail goes
 * to the {@link AuditLog}. Thread-safe. Login and password changes hash with Argon2id: call them on worker
 * threads.
 */
public final class UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final Lockout lockout;
    private final SessionManager sessions;
    private final AuditLog audit;
    private final Clock clock;
    private final Counter loginOk;
    private final Counter loginBad;
    private final Counter loginLocked;
    private final Counter loginDisabled;
    private final Counter lockouts;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private volatile PasswordHash decoy;

    private static final class Account {
        User user;
        final PersonalData personal;
        PasswordHash hash;
        Instant passwordSetAt;
        boolean mustChange;
        final Deque<PasswordHash> history = new ArrayDeque<>();

        Account(User user, PersonalData personal) {
            this.user = user;
            this.personal = personal;
        }
    }

    /**
     * A directory without metrics.
     *
     * @param policy   the password rules
     * @param hasher   the Argon2id hasher
     * @param lockout  the failure counter
     * @param sessions where sessions are issued
     * @param audit    the audit trail
     * @param clock    the centre's clock (the scheduler's)
     */
    public UserDirectory(PasswordPolicy policy, PasswordHasher hasher, Lockout lockout, SessionManager sessions,
                         AuditLog audit, Clock clock) {
        this(policy, hasher, lockout, sessions, audit, clock, new SimpleMetrics());
    }

    /**
     * A directory. Counts {@code security.login} by {@code outcome} ({@code success}, {@code bad_credentials},
     * {@code locked}, {@code disabled}) and {@code security.lockout}.
     *
     * @param policy   the password rules
     * @param hasher   the Argon2id hasher
     * @param lockout  the failure counter
     * @param sessions where sessions are issued
     * @param audit    the audit trail
     * @param clock    the centre's clock (the scheduler's)
     * @param metrics  where the counters live
     */
    public UserDirectory(PasswordPolicy policy, PasswordHasher hasher, Lockout lockout, SessionManager sessions,
                         AuditLog audit, Clock clock, Metrics metrics) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loginOk = metrics.counter("security.login", "outcome", "success");
        this.loginBad = metrics.counter("security.login", "outcome", "bad_credentials");
        this.loginLocked = metrics.counter("security.login", "outcome", "locked");
        this.loginDisabled = metrics.counter("security.login", "outcome", "disabled");
        this.lockouts = metrics.counter("security.lockout");
    }

    /**
     * A directory with the default policy, hasher, lockout and session lifetime, on a scheduler's clock.
     *
     * @param scheduler the clock and timers
     * @param audit     the audit trail
     * @param metrics   where the counters live
     * @return the directory
     */
    public static UserDirectory withDefaults(Scheduler scheduler, AuditLog audit, Metrics metrics) {
        return new UserDirectory(PasswordPolicy.defaults(), PasswordHasher.defaults(),
                new Lockout(LockoutPolicy.DEFAULT, scheduler.clock()), new SessionManager(scheduler), audit,
                scheduler.clock(), metrics);
    }

    /** @return the session manager that resolves the tokens this directory issues */
    public SessionManager sessions() {
        return sessions;
    }

    /** @return the password policy */
    public PasswordPolicy policy() {
        return policy;
    }

    /**
     * Creates a user. The password must pass the policy; since the actor chose it, the user must change it at
     * first login unless the actor is the user.
     *
     * @param by       who creates the user, from where
     * @param user     the user, roles and scope
     * @param personal the user's personal data, for the password rules (its user name must match)
     * @param password the initial password
     * @throws PasswordRejectedException if the password breaks the policy
     * @throws IllegalStateException     if the user name is taken
     */
    public void createUser(Actor by, User user, PersonalData personal, Secret password) {
        if (!personal.username().equals(user.username())) {
            throw new IllegalArgumentException("personal data belong to another user name");
        }
        PasswordCheck check = policy.check(password, personal);
        if (!check.accepted()) {
            throw new PasswordRejectedException("password of " + user.username(), check);
        }
        Account a = new Account(user, personal);
        a.hash = hasher.hash(password);
        a.passwordSetAt = clock.instant();
        a.mustChange = !by.username().equals(user.username());
        a.history.addFirst(a.hash);
        if (accounts.putIfAbsent(user.username(), a) != null) {
            throw new IllegalStateException("user exists: " + user.username());
        }
        audit(by, AuditAction.PERMISSION_CHANGE, user.username(), Map.of("change", "created",
                "roles", roles(user.roles()), "scope", scope(user.scope())));
        audit(by, AuditAction.PASSWORD_CHANGE, user.username(), Map.of("change", "initial"));
        LOG.info("user {} created by {}", user.username(), by.username());
    }

    /**
     * A user.
     *
     * @param username the user name
     * @return the user, or empty
     */
    public Optional<User> user(String username) {
        Account a = accounts.get(username);
        if (a == null) {
            return Optional.empty();
        }
        synchronized (a) {
            return Optional.of(a.user);
        }
    }

    /** @return every user, sorted by user name */
    public List<User> users() {
        List<User> out = new ArrayList<>();
        new TreeMap<>(accounts).values().forEach(a -> {
            synchronized (a) {
                out.add(a.user);
            }
        });
        return out;
    }

    /**
     * Every account, for the centre to persist (hashes and personal data, no password).
     *
     * @return the accounts, sorted by user name
     */
    public List<UserAccount> export() {
        List<UserAccount> out = new ArrayList<>();
        new TreeMap<>(accounts).values().forEach(a -> {
            synchronized (a) {
                out.add(new UserAccount(a.user, a.personal, a.hash, a.passwordSetAt, a.mustChange,
                        List.copyOf(a.history)));
            }
        });
        return out;
    }

    /**
     * Restores a persisted account (at start-up; not audited, since nothing changes).
     *
     * @param account the account
     * @throws IllegalStateException if the user name is taken
     */
    public void restore(UserAccount account) {
        Account a = new Account(account.user(), account.personal());
        a.hash = account.passwordHash();
        a.passwordSetAt = account.passwordSetAt();
        a.mustChange = account.passwordChangeRequired();
        a.history.addAll(account.history().isEmpty() ? List.of(account.passwordHash()) : account.history());
        if (accounts.putIfAbsent(account.user().username(), a) != null) {
            throw new IllegalStateException("user exists: " + account.user().username());
        }
    }

    /**
     * Changes a user's roles and scope; revokes the user's sessions.
     *
     * @param by       who, from where
     * @param username the user
     * @param roles    the new roles
     * @param scope    the new scope
     * @return the changed user
     */
    public User setRoles(Actor by, String username, Set<Role> roles, Scope scope) {
        Account a = account(username);
        User before;
        User after;
        synchronized (a) {
            before = a.user;
            a.user = before.withRoles(roles, scope);
            after = a.user;
        }
        sessions.revokeUser(username);
        audit(by, AuditAction.PERMISSION_CHANGE, username, Map.of("change", "roles",
                "before", roles(before.roles()) + " " + scope(before.scope()),
                "after", roles(after.roles()) + " " + scope(after.scope())));
        return after;
    }

    /**
     * Enables or disables a user; disabling revokes the user's sessions.
     *
     * @param by       who, from where
     * @param username the user
     * @param enabled  the new state
     */
    public void setEnabled(Actor by, String username, boolean enabled) {
        Account a = account(username);
        synchronized (a) {
            a.user = a.user.withEnabled(enabled);
        }
        if (!enabled) {
            sessions.revokeUser(username);
        }
        audit(by, AuditAction.PERMISSION_CHANGE, username, Map.of("change", enabled ? "enabled" : "disabled"));
    }

    /**
     * Logs a user in: refused while locked; a wrong password counts towards lockout; a right one issues a
     * session. Every outcome is audited.
     *
     * @param username the user name
     * @param password the password
     * @param origin   where the attempt came from (a remote address)
     * @return a session and token, or the reason of failure
     */
    public LoginResult login(String username, Secret password, String origin) {
        Actor actor = Actor.of(username, origin);
        Optional<Instant> locked = lockout.lockedUntil(username);
        if (locked.isPresent()) {
            LOG.warn("login refused for {} from {}: locked", username, origin);
            audit(actor, AuditAction.LOGIN_FAILED, username, Map.of("reason", "LOCKED"));
            loginLocked.increment();
            return new LoginResult.Failure(LoginResult.Reason.LOCKED, locked.get());
        }
        Account a = accounts.get(username);
        boolean ok;
        if (a == null) {
            // hash anyway, so that an unknown name costs as much time as a wrong password
            hasher.verify(password, decoy());
            ok = false;
        } else {
            PasswordHash h;
            synchronized (a) {
                h = a.hash;
            }
            ok = hasher.verify(password, h);
        }
        if (!ok) {
            LOG.warn("login failed for {} from {}", username, origin);
            audit(actor, AuditAction.LOGIN_FAILED, username, Map.of("reason", "BAD_CREDENTIALS"));
            Optional<Instant> until = lockout.recordFailure(username);
            loginBad.increment();
            if (until.isPresent()) {
                lockouts.increment();
                LOG.warn("user name {} locked until {}", username, until.get());
                audit(Actor.of(Actor.SYSTEM.username(), origin), AuditAction.LOCKOUT, username,
                        Map.of("until", until.get().toString()));
            }
            return new LoginResult.Failure(LoginResult.Reason.BAD_CREDENTIALS, until.orElse(null));
        }
        User user;
        boolean changeRequired;
        synchronized (a) {
            user = a.user;
            changeRequired = a.mustChange || policy.expired(a.passwordSetAt, clock);
            if (hasher.needsRehash(a.hash)) {
                a.hash = hasher.hash(password);
            }
        }
        if (!user.enabled()) {
            audit(actor, AuditAction.LOGIN_FAILED, username, Map.of("reason", "DISABLED"));
            loginDisabled.increment();
            return new LoginResult.Failure(LoginResult.Reason.DISABLED, null);
        }
        lockout.recordSuccess(username);
        SessionManager.Issued issued = sessions.issue(user, origin, changeRequired);
        audit(actor, AuditAction.LOGIN, username, Map.of("session", issued.session().id(),
                "passwordChangeRequired", Boolean.toString(changeRequired)));
        loginOk.increment();
        LOG.info("login of {} from {}, session {}", username, origin, issued.session().id());
        return new LoginResult.Success(issued.session(), issued.token());
    }

    /**
     * Ends a session.
     *
     * @param token  the session's token
     * @param origin where the request came from
     * @return true if a session was ended
     */
    public boolean logout(Secret token, String origin) {
        Optional<Session> s = sessions.revoke(token);
        s.ifPresent(session -> audit(Actor.of(session.username(), origin), AuditAction.LOGOUT, session.username(),
                Map.of("session", session.id())));
        return s.isPresent();
    }

    /**
     * A user changes the own password: the current one must be right, the new one must pass the policy and not
     * be one of the recent ones. Ends the user's other sessions.
     *
     * @param by      the user, from where
     * @param current the current password
     * @param next    the new password
     * @return false if the current password is wrong (counted towards lockout) or the account is locked
     * @throws PasswordRejectedException if the new password breaks the policy
     */
    public boolean changePassword(Actor by, Secret current, Secret next) {
        Account a = account(by.username());
        if (lockout.lockedUntil(by.username()).isPresent()) {
            audit(by, AuditAction.LOGIN_FAILED, by.username(), Map.of("reason", "LOCKED",
                    "during", "password change"));
            return false;
        }
        PasswordHash h;
        synchronized (a) {
            h = a.hash;
        }
        if (!hasher.verify(current, h)) {
            audit(by, AuditAction.LOGIN_FAILED, by.username(), Map.of("reason", "BAD_CREDENTIALS",
                    "during", "password change"));
            lockout.recordFailure(by.username());
            return false;
        }
        setPassword(by, a, next, false);
        return true;
    }

    /**
     * An administrator sets a user's password; the user must change it at the next login. Also unlocks.
     *
     * @param by       the administrator, from where
     * @param username the user
     * @param next     the new password
     * @throws PasswordRejectedException if the new password breaks the policy
     */
    public void resetPassword(Actor by, String username, Secret next) {
        setPassword(by, account(username), next, !by.username().equals(username));
        lockout.unlock(username);
    }

    /**
     * Lifts a lockout at once.
     *
     * @param by       the administrator, from where
     * @param username the user name
     */
    public void unlock(Actor by, String username) {
        lockout.unlock(username);
        audit(by, AuditAction.PERMISSION_CHANGE, username, Map.of("change", "unlocked"));
    }

    private void setPassword(Actor by, Account a, Secret next, boolean mustChange) {
        List<PasswordHash> recent;
        synchronized (a) {
            recent = List.copyOf(a.history);
        }
        PasswordCheck check = policy.check(next, a.personal,
                candidate -> recent.stream().anyMatch(old -> hasher.verify(candidate, old)));
        if (!check.accepted()) {
            audit(by, AuditAction.PASSWORD_CHANGE, a.personal.username(), Map.of("change", "rejected",
                    "rules", check.rules().toString()));
            throw new PasswordRejectedException("password of " + a.personal.username(), check);
        }
        PasswordHash h = hasher.hash(next);
        String username;
        synchronized (a) {
            a.hash = h;
            a.passwordSetAt = clock.instant();
            a.mustChange = mustChange;
            a.history.addFirst(h);
            while (a.history.size() > Math.max(1, policy.historySize())) {
                a.history.removeLast();
            }
            username = a.user.username();
        }
        sessions.revokeUser(username);
        audit(by, AuditAction.PASSWORD_CHANGE, username, Map.of("change", mustChange ? "reset" : "changed"));
    }

    private Account account(String username) {
        Account a = accounts.get(username);
        if (a == null) {
            throw new IllegalArgumentException("no such user: " + username);
        }
        return a;
    }

    private PasswordHash decoy() {
        PasswordHash d = decoy;
        if (d == null) {
            d = hasher.hash(Secret.ofUtf8("decoy"));
            decoy = d;
        }
        return d;
    }

    private void audit(Actor by, AuditAction action, String target, Map<String, String> details) {
        audit.record(by, action, target, details).whenComplete((pos, e) -> {
            if (e != null) {
                LOG.error("audit entry {} on {} could not be stored", action, target, e);
            }
        });
    }

    private static String roles(Set<Role> roles) {
        return new TreeSet<>(roles.stream().map(Enum::name).toList()).toString();
    }

    private static String scope(Scope s) {
        return "customers=" + new TreeSet<>(s.customerIds()) + " sites=" + new TreeSet<>(s.siteIds());
    }
}
