package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A camera that refuses an unauthenticated {@code GetSystemDateAndTime} still tells its clock in the HTTP
 * {@code Date} header of the refusal: the client learns the offset from it and its WS-Security {@code Created}
 * then falls within the camera's window. The test device's {@code Date} is the real clock (the JDK's HTTP server
 * sets it), so the centre's virtual clock starts 90 s behind the real one and the device's skew is +90 s.
 */
class OnvifClockFromDateTest {
    static final Duration SKEW = Duration.ofSeconds(90);
    final ManualScheduler scheduler = new ManualScheduler(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(SKEW));
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final TestOnvifDevice camera = TestOnvifDevice.start(scheduler.clock(), "admin", "date-Secret-3");
    final OnvifClient client = OnvifClient.builder(scheduler, store).build();

    OnvifClockFromDateTest() {
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam"), new Credential("admin",
                Secret.ofUtf8("date-Secret-3"), Map.of()));
        camera.clockSkew(SKEW);
        camera.dateAndTimeNeedsAuth(true);
    }

    @AfterEach
    void close() {
        client.close();
        camera.close();
    }

    @Test
    void offsetIsLearnedFromTheDateHeaderOfTheRefusal() throws Exception {
        OnvifDevice d = client.device(OnvifDeviceConfig.of(camera.address(), "cam"));
        assertThatThrownBy(() -> d.getSystemDateAndTime().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(OnvifException.class,
                        e -> assertThat(e.isAuthenticationFailure()).isTrue());
        // the header has whole seconds and the real clock moved on a little since the test started
        assertThat(d.clockOffset()).isBetween(SKEW.minusMillis(600), SKEW.plusSeconds(4));
    }

    @Test
    void authenticatedRequestsSucceedWithTheOffsetFromTheDateHeader() throws Exception {
        OnvifDevice d = client.device(OnvifDeviceConfig.of(camera.address(), "cam"));
        DeviceInformation info = d.getDeviceInformation().get(10, TimeUnit.SECONDS);
        assertThat(info.manufacturer()).isEqualTo("Mockup Manufacturer");
        // one refusal: the unauthenticated GetSystemDateAndTime; the WS-Security request went through at once
        assertThat(camera.operations()).containsExactly("GetSystemDateAndTime", "GetDeviceInformation");
        assertThat(camera.refusals()).isEqualTo(1);
        assertThat(Duration.between(camera.deviceNow(), camera.createdSeen().get(0)).abs())
                .isLessThan(Duration.ofSeconds(5));
    }
}
