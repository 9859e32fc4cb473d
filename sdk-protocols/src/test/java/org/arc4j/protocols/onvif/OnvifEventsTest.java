package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.RefusalReason;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.arc4j.core.testkit.Await;

/**
 * Events into alarms against the test device, on a virtual clock: the Initialized burst raises nothing, each
 * alarm reaches the intake once (also when it refuses for a while), events survive subscription expiry and
 * camera restarts, renewals keep a subscription, supervision sees pulls, overflow is reported.
 */
class OnvifEventsTest {
    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final TestOnvifDevice camera = TestOnvifDevice.start(scheduler.clock(), "admin", "ev-Secret-1");
    final OnvifClient client = OnvifClient.builder(scheduler, store).build();
    final InMemoryAlarmIntake memory = new InMemoryAlarmIntake(scheduler.clock());
    final SwitchableIntake intake = new SwitchableIntake(memory);
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    OnvifEvents events;

    OnvifEventsTest() {
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam"), new Credential("admin",
                Secret.ofUtf8("ev-Secret-1"), Map.of()));
    }

    /** An intake that refuses while told to, then hands over to the in-memory one. */
    static final class SwitchableIntake implements AlarmIntake {
        final AlarmIntake delegate;
        volatile boolean refusing;
        volatile int refusals;
        final java.util.concurrent.atomic.AtomicInteger duplicates = new java.util.concurrent.atomic.AtomicInteger();

        SwitchableIntake(AlarmIntake delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key) {
            if (refusing) {
                refusals++;
                return CompletableFuture.completedFuture(new Receipt.Refused(RefusalReason.BACKPRESSURE, "test"));
            }
            return delegate.accept(events, key).thenApply(r -> {
                if (r instanceof Receipt.Accepted a && a.duplicate()) {
                    duplicates.incrementAndGet();
                }
                return r;
            });
        }
    }

    @AfterEach
    void close() {
        // "once": the client never offered an accepted message a second time
        assertThat(intake.duplicates.get()).isZero();
        if (events != null) {
            events.close();
        }
        client.close();
        camera.close();
    }

    OnvifEvents start(int capacity) {
        OnvifDevice d = client.device(OnvifDeviceConfig.of(camera.address(), "cam").withEndpointReference("urn:uuid:cam-1"));
        events = OnvifEvents.builder(d, intake, supervisor).account("C-0042").queueCapacity(capacity).build().start();
        return events;
    }

    /** Waits for I/O to finish and moves the virtual clock a second at a time while the condition is false. */
    void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int quiet = 0;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached; camera saw " + camera.operations());
            }
            if (!events.requestInFlight()) {
                if (++quiet > 3) { // no request for a while: let virtual time pass
                    scheduler.advance(Duration.ofSeconds(1));
                    quiet = 0;
                }
            } else {
                quiet = 0;
            }
            LockSupport.parkNanos(2_000_000); // waits for the device's I/O, not for a timer
        }
    }

    /** Lets the pull loop run a few rounds with nothing new. */
    void settle() {
        long pulls = camera.count("PullMessages");
        await(() -> camera.count("PullMessages") >= pulls + 3);
    }

    List<AlarmEvent> alarms() {
        return memory.events();
    }

    @Test
    void theInitializedBurstRaisesNoAlarmAndChangesDo() throws Exception {
        start(100);
        await(() -> camera.count("PullMessages") >= 3);
        settle();
        assertThat(alarms()).as("AlarmIn_2 is active in the burst, still no alarm").isEmpty();

        camera.motion(true);
        await(() -> alarms().size() == 1);
        settle();
        // the camera reports one motion twice: VideoSource/MotionAlarm on source VideoSource_1, and the cell motion
        // detector on configuration VideoSourceToken; its profiles name one video source, so both are it: one alarm
        // (the test device answers Media ver10's GetProfiles with another camera's recording, source vidsrc0)
        String source = OnvifClientTest.join(events.device().getProfiles()).get(0).videoSourceToken();
        assertThat(alarms()).extracting(AlarmEvent::code).containsExactly("VideoSource/MotionAlarm");
        assertThat(alarms()).allSatisfy(e -> {
            assertThat(e.zone()).isEqualTo(source);
            assertThat(e.category()).isEqualTo(Category.INTRUSION);
            assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
            assertThat(e.codeSystem()).isEqualTo(CodeSystem.ONVIF);
            assertThat(e.account()).isEqualTo("C-0042");
            assertThat(e.triggeredAt()).isNotNull();
            assertThat(e.clockSkew()).isEqualTo(Duration.ZERO);
        });

        camera.motion(false);
        camera.tamper(true);
        camera.digitalInput("AlarmIn_1", true);
        camera.digitalInput("AlarmIn_2", false); // was active in the burst: a restore
        camera.videoLoss(true);
        await(() -> alarms().size() == 6);
        settle();
        assertThat(alarms()).hasSize(6);
        List<AlarmEvent> later = alarms().subList(1, 6);
        // the motion's restore comes when both topics ended, with the code of the alarm it ends
        assertThat(later).filteredOn(e -> e.qualifier() == Qualifier.RESTORE).extracting(AlarmEvent::code)
                .containsExactlyInAnyOrder("VideoSource/MotionAlarm", "Device/Trigger/DigitalInput");
        assertThat(later).filteredOn(e -> e.category() == Category.TAMPER).singleElement()
                .satisfies(e -> {
                    assertThat(e.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
                    assertThat(e.zone()).as("configuration token VideoSourceToken is the one video source")
                            .isEqualTo(source);
                });
        assertThat(later).filteredOn(e -> e.category() == Category.VIDEO_FAULT).hasSize(1);
        assertThat(later).filteredOn(e -> e.code().equals("Device/Trigger/DigitalInput")
                && e.qualifier() == Qualifier.NEW_EVENT).singleElement()
                .satisfies(e -> assertThat(e.zone()).isEqualTo("AlarmIn_1"));
        assertThat(supervisor.status(events.deviceKey())).hasValueSatisfying(s -> assertThat(s.online()).isTrue());
    }

    @Test
    void theObserverSeesEveryNotificationWithTheAlarmItRaised() {
        List<Map.Entry<NotificationMessage, List<AlarmEvent>>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        OnvifDevice d = client.device(OnvifDeviceConfig.of(camera.address(), "cam").withEndpointReference("urn:uuid:cam-1"));
        events = OnvifEvents.builder(d, intake, supervisor).account("C-0042")
                .observer((m, a) -> {
                    seen.add(Map.entry(m, a));
                    throw new IllegalStateException("an observer that fails must not stop the loop");
                }).build().start();
        await(() -> seen.size() >= 5);
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.getKey().initialized()).isTrue();
            assertThat(e.getValue()).isEmpty();
        });
        camera.motion(true);
        await(() -> alarms().size() == 1);
        settle();
        assertThat(seen).hasSize(7);
        // two notifications of one motion: the first raised the alarm, the second none
        assertThat(seen.get(5).getValue()).singleElement()
                .satisfies(a -> assertThat(a.category()).isEqualTo(Category.INTRUSION));
        assertThat(seen.get(6).getValue()).isEmpty();
        // what the observer was shown is what reached the intake
        assertThat(seen.subList(5, 7)).flatExtracting(Map.Entry::getValue).extracting(AlarmEvent::code)
                .containsExactlyInAnyOrderElementsOf(alarms().stream().map(AlarmEvent::code).toList());
    }

    @Test
    void eventsSurviveSubscriptionExpiryAndACameraRestart() {
        start(100);
        await(() -> camera.count("PullMessages") >= 2);
        camera.expireSubscriptions();
        await(() -> events.subscriptionsMade() == 2);
        settle();
        camera.motion(true);
        await(() -> alarms().size() == 1);

        camera.restart();
        await(() -> events.subscriptionsMade() == 3);
        settle();
        assertThat(alarms()).as("the burst after the restart reports motion on, but raises nothing").hasSize(1);
        camera.tamper(true);
        await(() -> alarms().size() == 2);
        settle();
        assertThat(alarms()).hasSize(2);
        assertThat(alarms().get(1).category()).isEqualTo(Category.TAMPER);
    }

    @Test
    void renewalsKeepOneSubscriptionAlive() {
        start(100);
        await(() -> camera.count("Renew") >= 3);
        assertThat(events.subscriptionsMade()).isEqualTo(1);
        assertThat(camera.activeSubscriptions()).isEqualTo(1);
        camera.digitalInput("AlarmIn_1", true);
        await(() -> alarms().size() == 1);
    }

    @Test
    void everyAlarmReachesTheIntakeOnceAlsoWhenItRefusesForAWhile() {
        start(100);
        await(() -> camera.count("PullMessages") >= 2);
        intake.refusing = true;
        camera.digitalInput("AlarmIn_1", true);
        camera.tamper(true);
        await(() -> intake.refusals >= 6);
        assertThat(alarms()).isEmpty();
        assertThat(events.pending()).isEqualTo(2);
        intake.refusing = false;
        await(() -> alarms().size() == 2);
        settle();
        assertThat(alarms()).hasSize(2);
        assertThat(events.pending()).isZero();
    }

    @Test
    void aFullQueueDropsAndThenReportsHowMany() {
        start(2);
        await(() -> camera.count("PullMessages") >= 2);
        intake.refusing = true;
        for (int i = 0; i < 5; i++) {
            camera.digitalInput("AlarmIn_1", i % 2 == 0);
        }
        await(() -> events.dropped() == 3);
        intake.refusing = false;
        await(() -> alarms().size() == 3);
        settle();
        assertThat(alarms()).hasSize(3);
        AlarmEvent report = alarms().get(2);
        assertThat(report.category()).isEqualTo(Category.COMMUNICATION);
        assertThat(report.code()).isEqualTo("ONVIF_EVENTS_DROPPED");
        assertThat(report.extended()).containsEntry("dropped", "3");
    }

    @Test
    void anUnreachableCameraGoesOfflineAndComesBack() {
        start(100);
        await(() -> camera.count("PullMessages") >= 2);
        camera.down(true);
        await(() -> supervisor.status(events.deviceKey()).map(s -> !s.online()).orElse(false));
        camera.down(false);
        await(() -> supervisor.status(events.deviceKey()).map(s -> s.online()).orElse(false));
        camera.motion(true);
        await(() -> alarms().size() == 1);
    }

    @Test
    void closeUnsubscribes() {
        start(100);
        await(() -> camera.count("PullMessages") >= 2);
        events.close();
        Await.until(Duration.ofSeconds(10), () -> camera.count("Unsubscribe") > 0,
                () -> "an Unsubscribe; camera saw " + camera.operations());
        assertThat(camera.count("Unsubscribe")).isEqualTo(1);
        assertThat(camera.activeSubscriptions()).isZero();
    }
}
