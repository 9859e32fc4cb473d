package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.customer.CustomerType;
import org.arc4j.core.customer.Site;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.pipeline.ActionPlan;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.Rules;
import org.arc4j.core.pipeline.Severity;
import org.arc4j.core.sla.SlaPolicy;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.junit.jupiter.api.Test;

class CaseOpenerTest {
    private final Fixtures f = new Fixtures();

    private static AlarmEvent.Builder burglary() {
        return Fixtures.contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION, "001");
    }

    @Test
    void aKnownAccountIsEnrichedAndItsContractGivesTheLimit() {
        CustomerDirectory d = new CustomerDirectory(new InMemoryRecordStore(), f.scheduler.clock());
        SlaPolicy contract = SlaPolicy.ga1383().withResponse(Transport.PSTN, Duration.ofSeconds(10));
        d.put(new Customer("bank", "Bank", CustomerType.FINANCIAL, "2 Bank St", List.of(), true, contract));
        d.put(Site.of("bank-1", "bank", "Bank", "2 Bank St", null, null, List.of()));
        d.put(new Account(Fixtures.ACCOUNT, "bank-1", Transport.PSTN, null, null));
        Rules rules = new Rules(List.of(), List.of(), List.of(new ActionPlan("vault", java.util.Set.of(Category.INTRUSION),
                Severity.CRITICAL, List.of("call the manager"))));
        CaseFile c = new CaseOpener(d, SlaPolicy.ga1383(), rules).open(f.received(burglary()), f.scheduler.now());

        CaseTransition t = c.lastTransition();
        assertThat(t.action()).isEqualTo(CaseAction.RECEIVED);
        assertThat(t.state()).isEqualTo(CaseState.RECEIVED);
        assertThat(t.caseId()).isEqualTo("C" + c.event().id());
        assertThat(t.details()).containsEntry("customerId", "bank").containsEntry("siteId", "bank-1")
                .containsEntry("keyCustomer", "true").containsEntry("transport", "PSTN")
                .containsEntry("responseLimit", "PT10S").containsEntry("severity", "CRITICAL")
                .containsEntry("actionPlan", "vault");
        assertThat(c.keyCustomer()).isTrue();
        assertThat(c.siteId()).isEqualTo("bank-1");
        assertThat(c.clock("RESPONSE").limit).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void anUnknownAccountGetsTheDefaultPolicyAndTheResponseRunsFromReceipt() {
        CaseOpener opener = new CaseOpener(null, SlaPolicy.ga1383(), Rules.NONE);
        CaseFile c = opener.open(f.received(burglary().transport(Transport.IP)
                .triggeredAt(Fixtures.T0.minusSeconds(30))), f.scheduler.now());
        assertThat(c.lastTransition().details()).doesNotContainKey("customerId").containsEntry("transport", "IP")
                .containsEntry("responseLimit", "PT4S").containsEntry("responseStart", "2026-11-24T09:00:00Z");
        assertThat(c.snapshot().responseStart()).isEqualTo(Fixtures.T0); // no known skew: receipt time
        assertThat(opener.policyFor(c.event())).isEqualTo(SlaPolicy.ga1383());
        assertThat(opener.policyFor(null)).isEqualTo(SlaPolicy.ga1383());
    }

    @Test
    void aKnownSkewPlacesTheResponseStartOnTheCentresClock() {
        CaseFile c = new CaseOpener(null, SlaPolicy.ga1383(), Rules.NONE).open(f.received(burglary()
                .triggeredAt(Fixtures.T0.minusSeconds(3)).clockSkew(Duration.ofSeconds(1))), f.scheduler.now());
        assertThat(c.snapshot().responseStart()).isEqualTo(Fixtures.T0.minusSeconds(4));
    }
}
