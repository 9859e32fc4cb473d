package org.arc4j.gb28181.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestClient;
import org.arc4j.core.testkit.ManualClock;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipRequest;
import org.junit.jupiter.api.Test;

class DeviceAuthenticationTest {
    static final String DEVICE = "34020000001320000001";
    final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
    final DigestAuthenticator authenticator = new DigestAuthenticator(clock, "3402000000", DigestAlgorithm.MD5, true,
            Duration.ofMinutes(5), 100);
    final InMemoryCredentialStore store = new InMemoryCredentialStore();

    SipRequest message(String authorization) {
        SipHeaders.Builder h = SipHeaders.builder().add("From", "<sip:" + DEVICE + "@3402000000>;tag=1")
                .add("To", "<sip:34020000002000000001@3402000000>").add("Call-ID", "c").add("CSeq", "1 MESSAGE");
        if (authorization != null) {
            h.add("Authorization", authorization);
        }
        return SipRequest.of(SipRequest.MESSAGE, "sip:34020000002000000001@3402000000", h.build(), null);
    }

    String answer(String password) {
        DigestClient c = new DigestClient(DEVICE);
        c.challenged(authenticator.challenge(false));
        return c.answer("MESSAGE", "sip:34020000002000000001@3402000000", password.getBytes(StandardCharsets.UTF_8))
                .toHeaderValue();
    }

    @Test
    void outcomes() {
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential(null, Secret.ofUtf8("right"), Map.of()));
        DeviceAuthentication auth = new DeviceAuthentication(authenticator, store, null);
        assertThat(auth.verify(DEVICE, message(null)).outcome()).isEqualTo(DeviceAuthentication.Outcome.CHALLENGE);
        assertThat(auth.verify(DEVICE, message("Basic Zm9vOmJhcg==")).outcome())
                .isEqualTo(DeviceAuthentication.Outcome.CHALLENGE);
        assertThat(auth.verify(DEVICE, message(answer("right"))).outcome())
                .isEqualTo(DeviceAuthentication.Outcome.OK);
        DeviceAuthentication.Result wrong = auth.verify(DEVICE, message(answer("wrong")));
        assertThat(wrong.outcome()).isEqualTo(DeviceAuthentication.Outcome.REFUSED);
        assertThat(wrong.reason()).isEqualTo("WRONG_RESPONSE");
        String late = answer("right");
        clock.advance(Duration.ofMinutes(6));
        assertThat(auth.verify(DEVICE, message(late)).outcome()).isEqualTo(DeviceAuthentication.Outcome.STALE);
        // a device with no password of its own and no default: refused, never let through
        assertThat(auth.verify("34020000001320000009", message(answer("right"))).reason()).isEqualTo("no credential");
    }

    @Test
    void aUserNameOtherThanTheStoredOneIsRefused() {
        store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, DEVICE),
                new Credential("admin", Secret.ofUtf8("right"), Map.of()));
        DeviceAuthentication auth = new DeviceAuthentication(authenticator, store, null);
        assertThat(auth.verify(DEVICE, message(answer("right"))).reason()).isEqualTo("user name mismatch");
    }

    @Test
    void theDefaultPasswordServesDevicesWithoutTheirOwn() {
        DeviceAuthentication auth = new DeviceAuthentication(authenticator, store, "shared");
        assertThat(auth.verify(DEVICE, message(answer("shared"))).outcome())
                .isEqualTo(DeviceAuthentication.Outcome.OK);
    }
}
