package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

class SessionManagerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(T0);
    private final SessionManager sessions = new SessionManager(scheduler, Duration.ofMinutes(15), new SecureRandom());
    private final User viewer = User.of("cust-a", Role.CUSTOMER_VIEWER, Scope.customer("C-A"));

    @Test
    void tokensAre256RandomBitsAndResolveToTheirScopedSession() {
        SessionManager.Issued a = sessions.issue(viewer, "198.51.100.4", false);
        SessionManager.Issued b = sessions.issue(viewer, "198.51.100.4", false);
        assertThat(Base64.getUrlDecoder().decode(a.token().revealUtf8())).hasSize(32);
        assertThat(a.token()).isNotEqualTo(b.token());
        assertThat(a.token().toString()).doesNotContain(a.token().revealUtf8());
        Session s = sessions.resolve(Secret.ofUtf8(a.token().revealUtf8())).orElseThrow();
        assertThat(s.user().scope()).isEqualTo(Scope.customer("C-A"));
        assertThat(s.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(s.toString()).doesNotContain(a.token().revealUtf8());
        assertThat(s.id()).isNotEqualTo(b.session().id()).hasSize(16);
        assertThat(sessions.resolve(Secret.ofUtf8("not-a-token"))).isEmpty();
    }

    @Test
    void sessionsExpireOnTheSchedulersClock() {
        SessionManager.Issued a = sessions.issue(viewer, "", false);
        assertThat(scheduler.pending()).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(14));
        assertThat(sessions.resolve(a.token())).isPresent();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(sessions.resolve(a.token())).isEmpty();
        assertThat(sessions.active()).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void revocationIsImmediateAndCancelsTheExpiryTimer() {
        SessionManager.Issued a = sessions.issue(viewer, "", false);
        SessionManager.Issued b = sessions.issue(viewer, "", false);
        SessionManager.Issued other = sessions.issue(User.of("op1", Role.OPERATOR, Scope.NONE), "", false);
        assertThat(sessions.revoke(a.token())).map(Session::id).contains(a.session().id());
        assertThat(sessions.resolve(a.token())).isEmpty();
        assertThat(sessions.revokeUser("cust-a")).extracting(Session::id).containsExactly(b.session().id());
        assertThat(sessions.resolve(b.token())).isEmpty();
        assertThat(sessions.resolve(other.token())).isPresent();
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void renewalRotatesTheTokenAndRestartsTheLifetime() {
        SessionManager.Issued a = sessions.issue(viewer, "198.51.100.4", false);
        scheduler.advance(Duration.ofMinutes(10));
        SessionManager.Issued b = sessions.renew(a.token()).orElseThrow();
        assertThat(sessions.resolve(a.token())).isEmpty();
        assertThat(b.session().expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(25)));
        assertThat(b.session().user()).isEqualTo(viewer);
        assertThat(b.session().origin()).isEqualTo("198.51.100.4");
        assertThat(sessions.renew(a.token())).isEmpty();
        scheduler.advance(Duration.ofMinutes(15));
        assertThat(sessions.renew(b.token())).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }
}
