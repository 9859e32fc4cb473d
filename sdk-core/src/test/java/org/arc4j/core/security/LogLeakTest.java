package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testsupport.LogCapture;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No secret reaches a log line. Canary credentials go through code that logs around them (the vault, device
 * credential checks, failed and successful logins); the capturing provider records every line of the module's
 * whole test run, and this class runs last ({@link Order}) so that it also scans the lines of every other test.
 */
@Order(Integer.MAX_VALUE)
class LogLeakTest {
    private static final String VAULT_CANARY = "Canary-LogLeak-vault-93f1c7";
    private static final String LOGIN_CANARY = "Canary-LogLeak-login-4be2d0";
    private static final String WEAK_CANARY = "Canary-LogLeak-aaa111";
    /** Canaries other tests of this module use as secrets. */
    private static final List<String> SUITE_CANARIES = List.of("Canary-7f3a9c", "Canary-Vault-5d2e71");

    @TempDir
    Path tmp;

    @Test
    void noLogLineOfTheRunContainsASecret() {
        assertThat(LogCapture.active()).as("the capturing SLF4J provider must be the bound one").isTrue();

        // the vault logs when it opens and stores
        KeyEncryptionKey kek = KeyEncryptionKey.fromEnvironment("KEK",
                Map.of("KEK", KeyEncryptionKey.generate(new SecureRandom()).revealUtf8()));
        CredentialVault vault = CredentialVault.open(tmp.resolve("data"), kek, VaultCipher.SM4_GCM);
        CredentialKey cam = CredentialKey.of(CredentialKind.ONVIF_LOGIN, "leak-cam-1");
        vault.put(cam, new Credential("operator", Secret.ofUtf8(VAULT_CANARY), Map.of()));
        CredentialVault.open(tmp.resolve("data"), kek).rotateDataKey();

        // device credential checks log refusals and overrides
        InMemoryRecordStore store = new InMemoryRecordStore();
        ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
        AuditLog audit = new AuditLog(store, scheduler.clock());
        DeviceCredentials devices = new DeviceCredentials(vault, PasswordPolicy.defaults(), audit);
        CredentialKey weakCam = CredentialKey.of(CredentialKind.ONVIF_LOGIN, "leak-cam-2");
        assertThatThrownBy(() -> devices.put(Actor.of("maint1", "10.0.0.5"), weakCam,
                new Credential("admin", Secret.ofUtf8(WEAK_CANARY), Map.of())))
                .isInstanceOf(PasswordRejectedException.class).hasMessageNotContaining(WEAK_CANARY);
        devices.put(Actor.of("maint1", "10.0.0.5"), weakCam, new Credential("admin", Secret.ofUtf8(WEAK_CANARY),
                Map.of(Credential.OPTION_WEAK_KEY_ACCEPTED, "true")));

        // logins log failures, lockouts and successes; the wrong password is a canary too
        UserDirectory users = new UserDirectory(PasswordPolicy.defaults(),
                new PasswordHasher(PasswordHasherTest.FAST, new SecureRandom()),
                new Lockout(LockoutPolicy.DEFAULT, scheduler.clock()), new SessionManager(scheduler), audit,
                scheduler.clock());
        users.createUser(Actor.of("leak-op", "console"), User.of("leak-op", Role.OPERATOR, Scope.NONE),
                PersonalData.ofUsername("leak-op"), Secret.ofUtf8(LOGIN_CANARY));
        for (int i = 0; i < 5; i++) {
            users.login("leak-op", Secret.ofUtf8(VAULT_CANARY), "192.0.2.44");
        }
        scheduler.advance(Duration.ofMinutes(1));
        LoginResult ok = users.login("leak-op", Secret.ofUtf8(LOGIN_CANARY), "192.0.2.44");
        assertThat(ok).isInstanceOf(LoginResult.Success.class);

        // code that logs a credential or a secret object directly
        Credential c = vault.find(cam).orElseThrow();
        LoggerFactory.getLogger(LogLeakTest.class).info("looked up {} with {}", cam, c);
        LoggerFactory.getLogger(LogLeakTest.class).warn("secret object {}", c.secret(),
                new IllegalStateException("failure around " + cam.scope()));

        // the capture works: it sees the lines logged around the canaries, arguments and throwables included
        assertThat(LogCapture.containing("credential vault opened at")).isNotEmpty();
        assertThat(LogCapture.containing("credential ONVIF_LOGIN leak-cam-1 stored in the vault")).hasSize(1);
        assertThat(LogCapture.containing("weak ONVIF_LOGIN for leak-cam-2 refused")).hasSize(1);
        assertThat(LogCapture.containing("weak ONVIF_LOGIN for leak-cam-2 accepted by explicit override of maint1"))
                .hasSize(1);
        assertThat(LogCapture.containing("login failed for leak-op from 192.0.2.44")).hasSize(5);
        assertThat(LogCapture.containing("user name leak-op locked until")).hasSize(1);
        assertThat(LogCapture.containing("login of leak-op from 192.0.2.44")).hasSize(1);
        assertThat(LogCapture.containing("looked up CredentialKey[kind=ONVIF_LOGIN, scope=leak-cam-1]")).singleElement()
                .satisfies(l -> assertThat(l).contains("Secret[redacted]"));
        assertThat(LogCapture.containing("IllegalStateException: failure around leak-cam-1")).hasSize(1);

        // and no line of the whole run, from any test of this module, holds a secret
        for (String canary : List.of(VAULT_CANARY, LOGIN_CANARY, WEAK_CANARY)) {
            assertThat(LogCapture.containing(canary)).as("lines leaking %s", canary).isEmpty();
        }
        for (String canary : SUITE_CANARIES) {
            assertThat(LogCapture.containing(canary)).as("lines leaking %s", canary).isEmpty();
        }
        assertThat(LogCapture.lines()).as("the whole run was captured").hasSizeGreaterThan(15);
    }

    @Test
    void theScanWouldCatchALeak() {
        String marker = "Leak-Detector-Selftest-" + System.nanoTime();
        LoggerFactory.getLogger(LogLeakTest.class).debug("a careless line: {}", marker);
        assertThat(LogCapture.containing(marker)).as("a leak would be seen").hasSize(1);
    }
}
