package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserDirectoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final Actor ADMIN = Actor.of("admin1", "10.0.0.2");

    private final ManualScheduler scheduler = new ManualScheduler(T0);
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final AuditLog audit = new AuditLog(store, scheduler.clock());
    private final SessionManager sessions = new SessionManager(scheduler, Duration.ofMinutes(15), new SecureRandom());
    private final PasswordPolicy policy = PasswordPolicy.builder().maxAge(Duration.ofDays(90)).historySize(3).build();
    private final UserDirectory users = new UserDirectory(policy,
            new PasswordHasher(PasswordHasherTest.FAST, new SecureRandom()),
            new Lockout(LockoutPolicy.DEFAULT, scheduler.clock()), sessions, audit, scheduler.clock());
    private final AccessControl access = AccessControl.defaults();

    @BeforeEach
    void createOperator() {
        users.createUser(ADMIN, User.of("op1", Role.OPERATOR, Scope.NONE),
                new PersonalData("op1", "Li Na", LocalDate.of(1992, 11, 5), "13700001111", null),
                Secret.ofUtf8("Vq7#mLp2xR"));
    }

    private Session login(String user, String pw) {
        LoginResult r = users.login(user, Secret.ofUtf8(pw), "10.0.0.9");
        assertThat(r).isInstanceOf(LoginResult.Success.class);
        return ((LoginResult.Success) r).session();
    }

    @Test
    void weakInitialPasswordIsRefusedWithItsRules() {
        assertThatThrownBy(() -> users.createUser(ADMIN, User.of("op2", Role.OPERATOR, Scope.NONE),
                PersonalData.ofUsername("op2"), Secret.ofUtf8("op2op2op2")))
                .isInstanceOfSatisfying(PasswordRejectedException.class, e -> {
                    assertThat(e.check().rules()).contains(PasswordRule.SAME_AS_USERNAME);
                    assertThat(e.getMessage()).contains("SAME_AS_USERNAME").doesNotContain("op2op2op2");
                });
        assertThat(users.user("op2")).isEmpty();
    }

    @Test
    void passwordSetByAnAdministratorMustBeChangedFirst() {
        LoginResult.Success s = (LoginResult.Success) users.login("op1", Secret.ofUtf8("Vq7#mLp2xR"), "10.0.0.9");
        assertThat(s.session().passwordChangeRequired()).isTrue();
        assertThat(access.check(s.session(), Permission.VIEW_ALARMS, Resource.centre()))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_ALARMS, DenialReason.PASSWORD_CHANGE_REQUIRED));

        assertThat(users.changePassword(Actor.of("op1", "10.0.0.9"), Secret.ofUtf8("Vq7#mLp2xR"),
                Secret.ofUtf8("gH5!rTz9kW"))).isTrue();
        assertThat(sessions.resolve(s.token())).as("a password change ends the old sessions").isEmpty();
        Session fresh = login("op1", "gH5!rTz9kW");
        assertThat(fresh.passwordChangeRequired()).isFalse();
        assertThat(access.check(fresh, Permission.VIEW_ALARMS, Resource.centre()).granted()).isTrue();
    }

    @Test
    void recentPasswordsAndPersonalDataAreRefusedOnChange() {
        Actor self = Actor.of("op1", "10.0.0.9");
        users.changePassword(self, Secret.ofUtf8("Vq7#mLp2xR"), Secret.ofUtf8("gH5!rTz9kW"));
        assertThatThrownBy(() -> users.changePassword(self, Secret.ofUtf8("gH5!rTz9kW"), Secret.ofUtf8("Vq7#mLp2xR")))
                .isInstanceOfSatisfying(PasswordRejectedException.class,
                        e -> assertThat(e.check().rules()).containsExactly(PasswordRule.REUSED));
        assertThatThrownBy(() -> users.changePassword(self, Secret.ofUtf8("gH5!rTz9kW"), Secret.ofUtf8("Qz!19921105x")))
                .isInstanceOfSatisfying(PasswordRejectedException.class,
                        e -> assertThat(e.check().rules()).containsExactly(PasswordRule.PERSONAL_DATA));
        assertThat(users.changePassword(self, Secret.ofUtf8("wrong-Pass-1"), Secret.ofUtf8("Bx8$wNq3vE"))).isFalse();
        assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.PASSWORD_CHANGE).byTarget("op1")))
                .extracting(e -> e.details().get("change"))
                .containsExactly("initial", "changed", "rejected", "rejected");
    }

    @Test
    void maximumAgeForcesAChangeOnVirtualTime() {
        users.changePassword(Actor.of("op1", ""), Secret.ofUtf8("Vq7#mLp2xR"), Secret.ofUtf8("gH5!rTz9kW"));
        scheduler.advance(Duration.ofDays(89));
        assertThat(login("op1", "gH5!rTz9kW").passwordChangeRequired()).isFalse();
        scheduler.advance(Duration.ofDays(1));
        assertThat(login("op1", "gH5!rTz9kW").passwordChangeRequired()).isTrue();
    }

    @Test
    void repeatedFailuresLockWithBackOffAndAreAudited() {
        for (int i = 0; i < 4; i++) {
            assertThat(users.login("op1", Secret.ofUtf8("nope-" + i), "203.0.113.7"))
                    .isEqualTo(new LoginResult.Failure(LoginResult.Reason.BAD_CREDENTIALS, null));
        }
        assertThat(users.login("op1", Secret.ofUtf8("nope-5"), "203.0.113.7"))
                .isEqualTo(new LoginResult.Failure(LoginResult.Reason.BAD_CREDENTIALS, T0.plus(Duration.ofMinutes(1))));
        assertThat(users.login("op1", Secret.ofUtf8("Vq7#mLp2xR"), "10.0.0.9"))
                .as("even the right password is refused while locked")
                .isEqualTo(new LoginResult.Failure(LoginResult.Reason.LOCKED, T0.plus(Duration.ofMinutes(1))));
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(users.login("op1", Secret.ofUtf8("Vq7#mLp2xR"), "10.0.0.9")).isInstanceOf(LoginResult.Success.class);

        List<AuditEntry> trail = audit.query(AuditQuery.ALL.byTarget("op1")
                .byAction(AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOCKOUT));
        assertThat(trail).extracting(AuditEntry::action).containsExactly(AuditAction.LOGIN_FAILED,
                AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED,
                AuditAction.LOGIN_FAILED, AuditAction.LOCKOUT, AuditAction.LOGIN_FAILED, AuditAction.LOGIN);
        assertThat(trail.get(0).origin()).isEqualTo("203.0.113.7");
        assertThat(trail.get(5).details()).containsEntry("until", "2026-03-01T08:01:00Z");
        assertThat(trail.get(6).details()).containsEntry("reason", "LOCKED");
        assertThat(trail.get(7).at()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void unknownUsersFailLikeWrongPasswords() {
        assertThat(users.login("ghost", Secret.ofUtf8("Vq7#mLp2xR"), "203.0.113.7"))
                .isEqualTo(new LoginResult.Failure(LoginResult.Reason.BAD_CREDENTIALS, null));
    }

    @Test
    void roleChangesAreAuditedAndEndSessions() {
        users.changePassword(Actor.of("op1", ""), Secret.ofUtf8("Vq7#mLp2xR"), Secret.ofUtf8("gH5!rTz9kW"));
        LoginResult.Success s = (LoginResult.Success) users.login("op1", Secret.ofUtf8("gH5!rTz9kW"), "10.0.0.9");
        users.setRoles(ADMIN, "op1", Set.of(Role.CUSTOMER_VIEWER), Scope.customer("C-A"));
        assertThat(sessions.resolve(s.token())).isEmpty();
        Session again = login("op1", "gH5!rTz9kW");
        assertThat(again.user().roles()).containsExactly(Role.CUSTOMER_VIEWER);
        assertThat(access.check(again, Permission.VIEW_ALARMS, Resource.alarmCase("c2", "C-B", "S-B1")).granted())
                .isFalse();

        AuditEntry change = audit.query(AuditQuery.ALL.byAction(AuditAction.PERMISSION_CHANGE).byActor("admin1"))
                .get(1);
        assertThat(change.details()).containsEntry("change", "roles")
                .containsEntry("before", "[OPERATOR] customers=[] sites=[]")
                .containsEntry("after", "[CUSTOMER_VIEWER] customers=[C-A] sites=[]");
        assertThat(change.origin()).isEqualTo("10.0.0.2");

        users.setEnabled(ADMIN, "op1", false);
        assertThat(users.login("op1", Secret.ofUtf8("gH5!rTz9kW"), "10.0.0.9"))
                .isEqualTo(new LoginResult.Failure(LoginResult.Reason.DISABLED, null));
    }

    @Test
    void logoutEndsTheSession() {
        LoginResult.Success s = (LoginResult.Success) users.login("op1", Secret.ofUtf8("Vq7#mLp2xR"), "10.0.0.9");
        assertThat(users.logout(s.token(), "10.0.0.9")).isTrue();
        assertThat(users.logout(s.token(), "10.0.0.9")).isFalse();
        assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.LOGOUT))).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("session", s.session().id()));
    }

    @Test
    void accountsSurviveExportAndRestoreWithoutPasswords() {
        Actor self = Actor.of("op1", "");
        users.changePassword(self, Secret.ofUtf8("Vq7#mLp2xR"), Secret.ofUtf8("gH5!rTz9kW"));
        List<UserAccount> saved = users.export();
        assertThat(saved).singleElement().satisfies(a -> {
            assertThat(a.toString()).doesNotContain("Li Na").doesNotContain("$argon2id");
            assertThat(PasswordHash.parse(a.passwordHash().encoded())).isEqualTo(a.passwordHash());
            assertThat(a.history()).hasSize(2);
        });

        SimpleMetrics metrics = new SimpleMetrics();
        UserDirectory restarted = new UserDirectory(policy, new PasswordHasher(PasswordHasherTest.FAST,
                new SecureRandom()), new Lockout(LockoutPolicy.DEFAULT, scheduler.clock()), sessions, audit,
                scheduler.clock(), metrics);
        saved.forEach(restarted::restore);
        assertThat(restarted.login("op1", Secret.ofUtf8("gH5!rTz9kW"), "10.0.0.9"))
                .isInstanceOf(LoginResult.Success.class);
        assertThat(restarted.login("op1", Secret.ofUtf8("Vq7#mLp2xR"), "10.0.0.9"))
                .isInstanceOf(LoginResult.Failure.class);
        assertThatThrownBy(() -> restarted.changePassword(self, Secret.ofUtf8("gH5!rTz9kW"),
                Secret.ofUtf8("Vq7#mLp2xR"))).isInstanceOf(PasswordRejectedException.class);
        assertThat(metrics.counter("security.login", "outcome", "success").count()).isEqualTo(1);
        assertThat(metrics.counter("security.login", "outcome", "bad_credentials").count()).isEqualTo(1);
        assertThatThrownBy(() -> restarted.restore(saved.get(0))).isInstanceOf(IllegalStateException.class);
    }
}
