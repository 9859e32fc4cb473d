package org.arc4j.protocols.onvif;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.Category;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Basic Notification subscriptions kept alive on a virtual clock against the test device: {@code Renew} at 80 %
 * of the granted lifetime so that pushed events keep coming past the first termination time, a new
 * {@code Subscribe} after the camera dropped the subscription, and a doubling back-off while it is down.
 */
class OnvifNotificationSubscriptionTest {
    final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    final InMemoryCredentialStore store = new InMemoryCredentialStore();
    final TestOnvifDevice camera = TestOnvifDevice.start(scheduler.clock(), "admin", "bn-Secret-5");
    final OnvifClient client = OnvifClient.builder(scheduler, store).build();
    final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    final ExecutorService executor = Executors.newFixedThreadPool(2);
    final OnvifNotificationListener listener;
    final OnvifDevice device;
    final URI consumer;
    OnvifNotificationSubscription keeper;

    OnvifNotificationSubscriptionTest() throws InterruptedException {
        store.put(CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam"), new Credential("admin",
                Secret.ofUtf8("bn-Secret-5"), Map.of()));
        listener = OnvifNotificationListener.start(new InetSocketAddress("127.0.0.1", 0), "127.0.0.1", scheduler,
                executor);
        device = client.device(OnvifDeviceConfig.of(camera.address(), "cam"));
        consumer = listener.register(device, intake, OnvifTopicMapping.DEFAULT, "C-9");
    }

    @AfterEach
    void close() {
        if (keeper != null) {
            keeper.close();
        }
        listener.close();
        client.close();
        camera.close();
        executor.shutdownNow();
    }

    /** Waits for the request the last timer started (real I/O with the test device), never for a timer. */
    void settle() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (keeper.requestInFlight()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("request did not finish; camera saw " + camera.operations());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    void advance(Duration d) {
        scheduler.advance(d);
        settle();
    }

    @Test
    void renewsAt80PercentSoPushedEventsOutliveTheFirstTermination() {
        keeper = OnvifNotificationSubscription.builder(device, consumer).termination(Duration.ofSeconds(60)).build()
                .start();
        settle();
        assertThat(keeper.subscriptionsMade()).isEqualTo(1);
        assertThat(keeper.subscription().terminationTime()).isEqualTo(Instant.parse("2026-03-01T08:01:00Z"));
        assertThat(camera.deliverNotifications()).containsExactly(200); // the Initialized burst

        advance(Duration.ofMillis(47_999));
        assertThat(camera.count("Renew")).isZero();
        advance(Duration.ofMillis(1)); // 48 s: 80 % of 60 s
        assertThat(camera.count("Renew")).isEqualTo(1);
        assertThat(keeper.renewals()).isEqualTo(1);
        assertThat(keeper.subscription().terminationTime()).isEqualTo(Instant.parse("2026-03-01T08:01:48Z"));

        advance(Duration.ofSeconds(30)); // 78 s: past the first termination time
        assertThat(camera.activeSubscriptions()).isEqualTo(1);
        camera.motion(true);
        assertThat(camera.deliverNotifications()).containsExactly(200);
        assertThat(intake.events()).hasSize(1).allSatisfy(e -> assertThat(e.category()).isEqualTo(Category.INTRUSION));

        advance(Duration.ofSeconds(18)); // 96 s: 80 % of the renewed lifetime
        assertThat(camera.count("Renew")).isEqualTo(2);
        assertThat(camera.count("Subscribe")).isEqualTo(1);
        assertThat(keeper.failures()).isZero();
    }

    @Test
    void grantedLifetimeRulesNotTheRequestedOne() {
        camera.subscriptionLifetime(Duration.ofSeconds(10));
        keeper = OnvifNotificationSubscription.builder(device, consumer).termination(Duration.ofMinutes(5)).build()
                .start();
        settle();
        advance(Duration.ofMillis(7_999));
        assertThat(camera.count("Renew")).isZero();
        advance(Duration.ofMillis(1)); // 80 % of the 10 s the camera granted
        assertThat(camera.count("Renew")).isEqualTo(1);
        assertThat(camera.activeSubscriptions()).isEqualTo(1);
    }

    @Test
    void aDroppedSubscriptionIsMadeAgainAndADownCameraBacksOffDoubling() {
        keeper = OnvifNotificationSubscription.builder(device, consumer).build().start();
        settle();
        camera.expireSubscriptions(); // the camera forgot it, e.g. a restart
        advance(Duration.ofSeconds(48)); // the renew fails
        assertThat(keeper.failures()).isEqualTo(1);
        assertThat(keeper.subscription()).isNull();
        advance(Duration.ofMillis(999));
        assertThat(camera.count("Subscribe")).isEqualTo(1);
        advance(Duration.ofMillis(1)); // 1 s back-off
        assertThat(camera.count("Subscribe")).isEqualTo(2);
        assertThat(keeper.subscriptionsMade()).isEqualTo(2);
        assertThat(camera.activeSubscriptions()).isEqualTo(1);

        // now the camera goes down: the renew fails, then Subscribe after 1, 2, 4, 8 s
        camera.down(true);
        advance(Duration.ofSeconds(48));
        assertThat(keeper.failures()).isEqualTo(2);
        advance(Duration.ofSeconds(1)); // attempt 1 fails
        advance(Duration.ofSeconds(2)); // attempt 2 fails
        advance(Duration.ofSeconds(4)); // attempt 3 fails
        assertThat(keeper.failures()).isEqualTo(5);
        camera.down(false);
        advance(Duration.ofMillis(7_999));
        assertThat(keeper.subscriptionsMade()).isEqualTo(2);
        advance(Duration.ofMillis(1)); // 8 s after the third attempt
        assertThat(keeper.subscriptionsMade()).isEqualTo(3);
        assertThat(keeper.failures()).isEqualTo(5);

        // the back-off started over: a dropped subscription is made again after 1 s
        camera.expireSubscriptions();
        advance(Duration.ofSeconds(48));
        advance(Duration.ofSeconds(1));
        assertThat(keeper.subscriptionsMade()).isEqualTo(4);
    }

    @Test
    void closeUnsubscribesAndStopsRenewing() throws Exception {
        keeper = OnvifNotificationSubscription.builder(device, consumer).build().start();
        settle();
        keeper.closeAsync().get(10, TimeUnit.SECONDS);
        assertThat(camera.count("Unsubscribe")).isEqualTo(1);
        assertThat(camera.activeSubscriptions()).isZero();
        advance(Duration.ofMinutes(5));
        assertThat(camera.count("Renew")).isZero();
        assertThat(camera.count("Subscribe")).isEqualTo(1);
    }
}
