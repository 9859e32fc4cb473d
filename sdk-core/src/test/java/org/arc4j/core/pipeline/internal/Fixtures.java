package org.arc4j.core.pipeline.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.CustomerType;
import org.arc4j.core.customer.Site;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;

/** Events and cases for the parts' unit tests, on virtual time and without a directory. */
final class Fixtures {
    /** A Tuesday, 09:00 UTC. */
    static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");
    static final AccountKey ACCOUNT = new AccountKey("R1", "L1", "1001");

    final ManualScheduler scheduler;
    final EventIdGenerator ids;

    Fixtures() {
        this(T0);
    }

    Fixtures(Instant start) {
        scheduler = new ManualScheduler(start);
        ids = new EventIdGenerator(scheduler.clock());
    }

    static AlarmEvent.Builder contactId(String code, Qualifier q, Category category, String zone) {
        return AlarmEvent.builder().receiver(ACCOUNT.receiver()).line(ACCOUNT.line()).account(ACCOUNT.account())
                .protocol(Protocol.DC09_ADM_CID).ingress(new Ingress("test", "link-a")).link("link-a")
                .code(CodeSystem.CONTACT_ID, code).qualifier(q).category(category).zone(zone).partition("01");
    }

    static AlarmEvent.Builder sia(String code, Category category, String zone) {
        return AlarmEvent.builder().receiver(ACCOUNT.receiver()).line(ACCOUNT.line()).account(ACCOUNT.account())
                .protocol(Protocol.DC09_SIA_DCS).ingress(new Ingress("test", "link-a")).link("link-a")
                .code(CodeSystem.SIA, code).qualifier(Qualifier.NEW_EVENT).category(category).zone(zone)
                .partition("01");
    }

    /** A directory with the shop (customer {@code shop}, site {@code shop-1}) and these accounts of it. */
    CustomerDirectory shop(Account... accounts) {
        CustomerDirectory d = new CustomerDirectory(new InMemoryRecordStore(), scheduler.clock());
        d.put(new Customer("shop", "Corner shop", CustomerType.COMMERCIAL, "1 Main St", List.of(), false, null));
        d.put(Site.of("shop-1", "shop", "Corner shop", "1 Main St", null, null, List.of()));
        for (Account a : accounts) {
            d.put(a);
        }
        return d;
    }

    /** An event received now, with an id. */
    AlarmEvent received(AlarmEvent.Builder b) {
        return b.receivedAt(scheduler.now()).build().withId(ids.next());
    }

    /** A burglary case opened now, without a directory, under GA 1383's default limits. */
    CaseFile openCase() {
        return new CaseOpener(null, SlaPolicy.ga1383(), Rules.NONE)
                .open(received(contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION, "001")), scheduler.now());
    }

    /** Applies a transition now, as the pipeline does (the state moves forward only). */
    CaseTransition apply(CaseFile c, CaseAction action, CaseActor actor, Map<String, String> details) {
        CaseState target = action.target();
        CaseState state = target != null && target.compareTo(c.state()) > 0 ? target : c.state();
        CaseTransition t = new CaseTransition(c.id(), action, state, scheduler.now(), actor, details);
        c.apply(t, null);
        return t;
    }

    /** Applies a workflow step now. */
    CaseTransition apply(CaseFile c, WorkflowSteps.Step s) {
        return apply(c, s.action(), s.actor(), s.details());
    }
}
