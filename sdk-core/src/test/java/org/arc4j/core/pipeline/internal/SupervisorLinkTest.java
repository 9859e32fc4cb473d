package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.Supervisor;
import org.junit.jupiter.api.Test;

class SupervisorLinkTest {
    private final Fixtures f = new Fixtures();
    private final CustomerDirectory directory = f.shop();

    @Test
    void anAccountIsADeviceInTheAccountNamespace() {
        assertThat(SupervisorLink.deviceKey(new AccountKey("R1", "L1", "1001")))
                .isEqualTo(DeviceKey.of("account", "R1/L1/1001"));
    }

    @Test
    void supervisionDecisionsAboutAccountsBecomeDeviceStatus() {
        directory.put(new Account(Fixtures.ACCOUNT, "shop-1", Transport.PSTN, null, null));
        SupervisorLink link = new SupervisorLink(null, directory);
        Instant at = Fixtures.T0;
        PipelineEvent.DeviceStatusChanged off = link.statusOf(new SupervisionEvent.Offline(
                SupervisorLink.deviceKey(Fixtures.ACCOUNT), at, at.minusSeconds(60), "link-a")).orElseThrow();
        assertThat(off.account()).isEqualTo(Fixtures.ACCOUNT);
        assertThat(off.siteId()).isEqualTo("shop-1");
        assertThat(off.transport()).isEqualTo(Transport.PSTN);
        assertThat(off.online()).isFalse();
        PipelineEvent.DeviceStatusChanged on = link.statusOf(new SupervisionEvent.Online(
                SupervisorLink.deviceKey(Fixtures.ACCOUNT), at, "link-a", at.minusSeconds(60))).orElseThrow();
        assertThat(on.online()).isTrue();
        // an unknown account still reports, without site or transport
        assertThat(link.statusOf(new SupervisionEvent.Online(DeviceKey.of("account", "R9/L9/9"), at, "x", at))
                .orElseThrow().transport()).isEqualTo(Transport.UNKNOWN);
        assertThat(link.statusOf(new SupervisionEvent.Online(DeviceKey.of("camera", "R1/L1/1001"), at, "x", at)))
                .isEmpty();
        assertThat(link.statusOf(new SupervisionEvent.Online(DeviceKey.of("account", "broken"), at, "x", at)))
                .isEmpty();
    }

    @Test
    void intervalsAreCappedAt24HoursAndTestsAreCheckIns() {
        directory.put(new Account(Fixtures.ACCOUNT, "shop-1", Transport.PSTN, Duration.ofHours(48), null));
        directory.put(new Account(new AccountKey("R1", "L1", "1002"), "shop-1", Transport.IP,
                Duration.ofMinutes(5), null));
        directory.put(new Account(new AccountKey("R1", "L1", "1003"), "shop-1", Transport.IP, null, null));
        Map<DeviceKey, Duration> expected = new HashMap<>();
        Map<DeviceKey, String> checkIns = new HashMap<>();
        Supervisor s = new RecordingSupervisor(expected, checkIns);
        SupervisorLink link = new SupervisorLink(s, directory);
        link.superviseAccounts();
        assertThat(expected).containsOnly(
                Map.entry(SupervisorLink.deviceKey(Fixtures.ACCOUNT), Duration.ofHours(24)),
                Map.entry(DeviceKey.of("account", "R1/L1/1002"), Duration.ofMinutes(5)));
        link.checkIn(f.received(Fixtures.contactId("602", Qualifier.NEW_EVENT, Category.TEST, "000")));
        assertThat(checkIns).containsEntry(SupervisorLink.deviceKey(Fixtures.ACCOUNT), "link-a");
        new SupervisorLink(null, directory).superviseAccounts(); // no supervisor: nothing to tell
    }

    /** Records what the link tells a supervisor. */
    private record RecordingSupervisor(Map<DeviceKey, Duration> expected, Map<DeviceKey, String> checkIns)
            implements Supervisor {
        @Override
        public void expect(DeviceKey device, Duration maxSilence) {
            expected.put(device, maxSilence);
        }

        @Override
        public void forget(DeviceKey device) {
            expected.remove(device);
        }

        @Override
        public void checkIn(DeviceKey device, String link, Instant at) {
            checkIns.put(device, link);
        }

        @Override
        public java.util.Optional<org.arc4j.core.supervision.DeviceStatus> status(DeviceKey device) {
            return java.util.Optional.empty();
        }

        @Override
        public java.util.Collection<org.arc4j.core.supervision.DeviceStatus> all() {
            return java.util.List.of();
        }

        @Override
        public void addListener(java.util.function.Consumer<SupervisionEvent> listener) {
        }

        @Override
        public void removeListener(java.util.function.Consumer<SupervisionEvent> listener) {
        }
    }
}
