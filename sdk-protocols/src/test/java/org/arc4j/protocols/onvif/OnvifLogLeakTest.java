package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testsupport.LogCapture;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * No ONVIF password reaches a log line: refusals, lockouts, Digest and failing subscriptions run with canary
 * passwords, and every line logged so far in this module's run (the ONVIF tests run before this class) is
 * scanned for them, as are the messages of the errors.
 */
@Order(Integer.MAX_VALUE - 1)
class OnvifLogLeakTest {
    @Test
    void noLogLineOrErrorMessageHoldsAPassword() throws Exception {
        assertThat(LogCapture.active()).as("the capturing SLF4J provider must be the bound one").isTrue();
        ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam"),
                new Credential("admin", Secret.ofUtf8("LEAKCANARY-right"), Map.of()));
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "wrong"),
                new Credential("admin", Secret.ofUtf8("LEAKCANARY-wrong"), Map.of()));
        try (TestOnvifDevice camera = TestOnvifDevice.start(scheduler.clock(), "admin", "LEAKCANARY-right");
             OnvifClient client = OnvifClient.builder(scheduler, store).build()) {
            OnvifDevice good = client.device(OnvifDeviceConfig.of(camera.address(), "cam"));
            OnvifDevice bad = client.device(OnvifDeviceConfig.of(camera.address(), "wrong"));
            OnvifClientTest.join(good.getDeviceInformation());
            Throwable first = null;
            try {
                OnvifClientTest.join(bad.getDeviceInformation());
            } catch (Exception e) {
                first = e;
            }
            assertThatThrownBy(() -> OnvifClientTest.join(bad.getDeviceInformation())).isInstanceOf(OnvifException.class);
            camera.digestOnly(true);
            OnvifDevice digest = client.device(OnvifDeviceConfig.of(camera.address(), "cam"));
            OnvifClientTest.join(digest.fetchSnapshot("main"));
            OnvifDevice basic = client.device(OnvifDeviceConfig.of(camera.address(), "wrong").withBasicAuth(true));
            assertThatThrownBy(() -> OnvifClientTest.join(basic.getDeviceInformation())).isInstanceOf(OnvifException.class);
            // a subscription that keeps failing logs its failures
            OnvifEvents events = OnvifEvents.builder(bad, new InMemoryAlarmIntake(scheduler.clock()),
                    new InMemorySupervisor(scheduler)).build().start();
            scheduler.advance(Duration.ofMinutes(11));
            events.close();
            assertThat(first).isNotNull();
            for (Throwable c = first; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain("LEAKCANARY");
            }
        }
        assertThat(LogCapture.lines()).noneMatch(l -> l.contains("LEAKCANARY") || l.contains("CANARY-onvif")
                || l.contains("ev-Secret-1"));
    }
}
