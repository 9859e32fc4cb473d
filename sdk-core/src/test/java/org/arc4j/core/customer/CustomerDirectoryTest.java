package org.arc4j.core.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Transport;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** The directory resolves receiver + line + account and records every change. */
class CustomerDirectoryTest {
    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    @Test
    void resolvesAPanelByReceiverLineAndAccountAndRecordsEveryChange() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        CustomerDirectory d = new CustomerDirectory(store, new ManualClock(T0));
        d.put(new Customer("bank", "Bank", CustomerType.FINANCIAL, "2 Bank St",
                List.of(new Contact("Wang", "139", "manager")), true, null));
        d.put(Site.of("b1", "bank", "Branch", "2 Bank St", new GeoPoint(39.9, 116.4), "plans/b1.pdf",
                List.of(new Zone("003", "vault door", "basement"))));
        OpenCloseSchedule hours = OpenCloseSchedule.weekdays(ZoneId.of("Asia/Shanghai"), LocalTime.of(9, 0),
                LocalTime.of(17, 0), Duration.ofMinutes(10));
        AccountKey key = new AccountKey("R1", "L2", "0042");
        d.put(new Account(key, "b1", Transport.PSTN, Duration.ofHours(24), hours));
        assertThatThrownBy(() -> d.put(new Account(new AccountKey("R1", "L1", "1"), "nowhere", Transport.IP, null,
                null))).isInstanceOf(IllegalArgumentException.class);

        AlarmEvent e = AlarmEvent.builder().receiver("R1").line("L2").account("0042").protocol(Protocol.CONTACT_ID_PSTN)
                .ingress(new Ingress("cid", "line-1")).code(CodeSystem.CONTACT_ID, "130").zone("003")
                .receivedAt(T0).build();
        Resolved r = d.resolve(e).orElseThrow();
        assertThat(r.customer().keyCustomer()).isTrue();
        assertThat(r.site().location()).isEqualTo(new GeoPoint(39.9, 116.4));
        assertThat(r.zone().name()).isEqualTo("vault door");
        assertThat(r.account().transport()).isEqualTo(Transport.PSTN);
        // the same account number on another line is another panel
        assertThat(d.resolve(e.toBuilder().line("L1").build())).isEmpty();

        // a restart restores everything, the customer's contract included
        d.put(new Customer("shop", "Shop", CustomerType.COMMERCIAL, "", List.of(), false,
                org.arc4j.core.sla.SlaPolicy.ga1383().withResponse(Transport.IP, Duration.ofSeconds(3))));
        CustomerDirectory restored = CustomerDirectory.open(store, new ManualClock(T0));
        assertThat(restored.resolve(e)).contains(r);
        assertThat(restored.account(key).orElseThrow().schedule()).isEqualTo(hours);
        assertThat(restored.customer("shop").orElseThrow().contract().response(Transport.IP))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(restored.customer("shop").orElseThrow().contract().response(Transport.PSTN))
                .isEqualTo(Duration.ofSeconds(20));

        d.remove(key);
        assertThat(d.resolve(e)).isEmpty();
        assertThat(CustomerDirectory.open(store, new ManualClock(T0)).resolve(e)).isEmpty();
        List<StoredRecord> records = new ArrayList<>();
        store.replay(1, records::add);
        assertThat(records).extracting(StoredRecord::type).containsOnly(RecordType.CONFIG_CHANGE);
        assertThat(records).extracting(StoredRecord::subject)
                .containsExactly("customer/bank", "site/b1", "account/R1/L2/0042", "customer/shop",
                        "account/R1/L2/0042");
        String account = new String(records.get(2).payload(), StandardCharsets.UTF_8);
        assertThat(account).contains("\"op\":\"put\"", "\"transport\":\"PSTN\"", "\"checkInInterval\":\"PT24H\"",
                "\"zone\":\"Asia/Shanghai\"", "\"MONDAY\":\"09:00-17:00\"");
        assertThat(new String(records.get(4).payload(), StandardCharsets.UTF_8)).contains("\"op\":\"remove\"");
    }

    @Test
    void aRemovedCustomerTakesItsSitesAndAccountsWithItAlsoAfterReopening() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        CustomerDirectory d = new CustomerDirectory(store, new ManualClock(T0));
        d.put(new Customer("gone", "Gone", CustomerType.COMMERCIAL, "", List.of(), false, null));
        d.put(new Customer("stays", "Stays", CustomerType.COMMERCIAL, "", List.of(), false, null));
        d.put(Site.of("g1", "gone", "G", "", null, null, List.of()));
        d.put(Site.of("s1", "stays", "S", "", null, null, List.of()));
        d.put(new Account(new AccountKey("R", "L", "0001"), "g1", Transport.IP, null, null));
        d.put(new Account(new AccountKey("R", "L", "0002"), "s1", Transport.IP, null, null));
        AlarmEvent e = AlarmEvent.builder().receiver("R").line("L").account("0001").protocol(Protocol.CONTACT_ID_PSTN)
                .ingress(new Ingress("cid", "line-1")).code(CodeSystem.CONTACT_ID, "130").receivedAt(T0).build();
        assertThat(d.resolve(e)).isPresent();

        d.removeCustomer("gone");
        for (CustomerDirectory x : List.of(d, CustomerDirectory.open(store, new ManualClock(T0)))) {
            assertThat(x.resolve(e)).isEmpty();
            assertThat(x.customer("gone")).isEmpty();
            assertThat(x.site("g1")).isEmpty();
            assertThat(x.accounts()).extracting(a -> a.key().account()).containsExactly("0002");
            assertThat(x.resolve(e.toBuilder().account("0002").build())).isPresent();
        }
        d.removeSite("s1");
        assertThat(CustomerDirectory.open(store, new ManualClock(T0)).accounts()).isEmpty();
        assertThat(CustomerDirectory.open(store, new ManualClock(T0)).customer("stays")).isPresent();
    }

    @Test
    void scheduleChecksInTheSitesTimeZone() {
        OpenCloseSchedule hours = OpenCloseSchedule.weekdays(ZoneId.of("Asia/Shanghai"), LocalTime.of(9, 0),
                LocalTime.of(17, 0), Duration.ofMinutes(10));
        // 2026-11-24 is a Tuesday; 00:49 UTC is 08:49 in Shanghai: early by one minute past the tolerance
        assertThat(hours.checkDisarm(Instant.parse("2026-11-24T00:49:59Z"))).contains(ScheduleViolation.EARLY_TO_OPEN);
        assertThat(hours.checkDisarm(Instant.parse("2026-11-24T00:50:00Z"))).isEmpty();
        assertThat(hours.checkArm(Instant.parse("2026-11-24T09:10:00Z"))).isEmpty();
        assertThat(hours.checkArm(Instant.parse("2026-11-24T09:10:01Z"))).contains(ScheduleViolation.LATE_TO_CLOSE);
        assertThat(hours.checkDisarm(Instant.parse("2026-11-22T02:00:00Z"))).contains(ScheduleViolation.OUT_OF_HOURS);
        assertThat(hours.closeDeadline(Instant.parse("2026-11-24T01:00:00Z")))
                .contains(Instant.parse("2026-11-24T09:10:00Z"));
    }
}
