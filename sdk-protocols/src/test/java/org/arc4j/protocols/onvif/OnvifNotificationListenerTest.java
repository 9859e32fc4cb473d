package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.Test;

/**
 * Basic Notification: the device pushes Notify; the answer is 200 only after the intake accepted the alarms and
 * 503 while it refuses, so the device's retry delivers each alarm once; the Initialized burst raises nothing.
 */
class OnvifNotificationListenerTest {
    @Test
    void answerIs2xxOnlyAfterTheReceiptAnd503OnRefusal() throws Exception {
        ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam"), new Credential("admin", Secret.ofUtf8("x-1"), Map.of()));
        InMemoryAlarmIntake memory = new InMemoryAlarmIntake(scheduler.clock());
        OnvifEventsTest.SwitchableIntake intake = new OnvifEventsTest.SwitchableIntake(memory);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (TestOnvifDevice camera = TestOnvifDevice.start(scheduler.clock(), "admin", "x-1");
             OnvifClient client = OnvifClient.builder(scheduler, store).build();
             OnvifNotificationListener listener = OnvifNotificationListener.start(
                     new InetSocketAddress("127.0.0.1", 0), "127.0.0.1", scheduler, executor)) {
            OnvifDevice device = client.device(OnvifDeviceConfig.of(camera.address(), "cam"));
            URI consumer = listener.register(device, intake, OnvifTopicMapping.DEFAULT, "C-7");
            PullPointSubscription s = OnvifClientTest.join(device.subscribe(consumer, Duration.ofMinutes(1)));
            assertThat(s.address().getHost()).isEqualTo("127.0.0.1");
            assertThat(camera.deliverNotifications()).containsExactly(200); // the Initialized burst
            assertThat(memory.events()).isEmpty();

            camera.motion(true);
            intake.refusing = true;
            assertThat(camera.deliverNotifications()).containsExactly(503);
            assertThat(camera.deliverNotifications()).containsExactly(503);
            assertThat(memory.events()).isEmpty();
            intake.refusing = false;
            assertThat(camera.deliverNotifications()).containsExactly(200);
            assertThat(camera.deliverNotifications()).isEmpty(); // nothing left to retry
            List<AlarmEvent> alarms = memory.events();
            // one motion, reported by two topics in one Notify, is one alarm
            assertThat(alarms).hasSize(1).allSatisfy(e -> {
                assertThat(e.category()).isEqualTo(Category.INTRUSION);
                assertThat(e.zone()).as("the one video source of the device's profiles")
                        .isEqualTo(OnvifClientTest.join(device.getProfiles()).get(0).videoSourceToken());
                assertThat(e.account()).isEqualTo("C-7");
            });
            assertThat(intake.duplicates.get()).isZero();

            listener.unregister(consumer);
            camera.tamper(true);
            assertThat(camera.deliverNotifications()).containsExactly(404);
        } finally {
            executor.shutdownNow();
        }
    }
}
