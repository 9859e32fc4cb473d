package org.arc4j.core.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.Contact;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.CustomerType;
import org.arc4j.core.customer.GeoPoint;
import org.arc4j.core.customer.OpenCloseSchedule;
import org.arc4j.core.customer.Site;
import org.arc4j.core.customer.Zone;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.testkit.ManualScheduler;

/**
 * A small centre on virtual time for pipeline tests: a shop (account 1001 over IP, 1002 over PSTN, 1003
 * wireless), a bank that is a key customer (account 2001 over IP), and an in-memory store.
 */
final class Centre {
    /** A Tuesday, 09:00 UTC. */
    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    static final AccountKey SHOP_IP = new AccountKey("R1", "L1", "1001");
    static final AccountKey SHOP_PSTN = new AccountKey("R1", "L2", "1002");
    static final AccountKey SHOP_WIRELESS = new AccountKey("R1", "L3", "1003");
    static final AccountKey BANK = new AccountKey("R1", "L1", "2001");

    final ManualScheduler scheduler;
    final RecordStore store;
    final CustomerDirectory directory;
    final EventIdGenerator ids;
    final List<PipelineEvent> seen = new ArrayList<>();
    AlarmPipeline pipeline;

    Centre() {
        this(new ManualScheduler(T0), new InMemoryRecordStore(), SlaPolicy.ga1383());
    }

    Centre(ManualScheduler scheduler, RecordStore store, SlaPolicy bankContract) {
        this.scheduler = scheduler;
        this.store = store;
        this.ids = new EventIdGenerator(scheduler.clock());
        this.directory = new CustomerDirectory(store, scheduler.clock());
        directory.put(new Customer("shop", "Corner shop", CustomerType.COMMERCIAL, "1 Main St",
                List.of(new Contact("Li", "13800000000", "owner")), false, null));
        directory.put(new Customer("bank", "Bank branch", CustomerType.FINANCIAL, "2 Bank St",
                List.of(new Contact("Wang", "13900000000", "manager")), true, bankContract));
        directory.put(Site.of("shop-1", "shop", "Corner shop", "1 Main St", new GeoPoint(39.9, 116.4), "plans/shop.pdf",
                List.of(new Zone("001", "front door", "ground floor"))));
        directory.put(Site.of("bank-1", "bank", "Bank branch", "2 Bank St", new GeoPoint(39.91, 116.39), "plans/bank.pdf",
                List.of(new Zone("001", "vault", "basement"))));
        OpenCloseSchedule hours = OpenCloseSchedule.weekdays(ZoneOffset.UTC, LocalTime.of(8, 0), LocalTime.of(18, 0),
                Duration.ofMinutes(15));
        directory.put(new Account(SHOP_IP, "shop-1", Transport.IP, Duration.ofHours(1), hours));
        directory.put(new Account(SHOP_PSTN, "shop-1", Transport.PSTN, Duration.ofHours(24), null));
        directory.put(new Account(SHOP_WIRELESS, "shop-1", Transport.WIRELESS, null, null));
        directory.put(new Account(BANK, "bank-1", Transport.IP, Duration.ofMinutes(5), null));
    }

    Centre start(Consumer<AlarmPipeline.Builder> config) {
        AlarmPipeline.Builder b = AlarmPipeline.builder(store, scheduler).directory(directory)
                .authorizer(CaseAuthorizer.ALLOW_ALL);
        config.accept(b);
        pipeline = b.build();
        pipeline.addListener(seen::add);
        return this;
    }

    Centre start() {
        return start(b -> {
        });
    }

    static AlarmEvent.Builder alarm(AccountKey k, Category category, String code, String zone) {
        return AlarmEvent.builder().receiver(k.receiver()).line(k.line()).account(k.account())
                .protocol(Protocol.DC09_ADM_CID).ingress(new Ingress("test", "link-a")).link("link-a")
                .code(CodeSystem.CONTACT_ID, code).qualifier(Qualifier.NEW_EVENT).category(category).zone(zone)
                .partition("01");
    }

    /** Ingests an event received now, with an id. */
    AlarmEvent ingest(AlarmEvent.Builder b) {
        AlarmEvent e = b.receivedAt(scheduler.now()).build().withId(ids.next());
        pipeline.ingest(e);
        return e;
    }

    AlarmCase only() {
        List<AlarmCase> open = pipeline.openCases();
        if (open.size() != 1) {
            throw new AssertionError("expected one open case, got " + open);
        }
        return open.get(0);
    }

    AlarmCase get(String id) {
        return pipeline.get(id).orElseThrow();
    }

    List<org.arc4j.core.sla.SlaBreach> breaches() {
        return seen.stream().filter(e -> e instanceof PipelineEvent.Breached).map(e -> ((PipelineEvent.Breached) e).breach())
                .toList();
    }
}
