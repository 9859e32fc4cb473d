package org.arc4j.core.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.arc4j.core.customer.Customer;
import org.arc4j.core.customer.CustomerType;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseException;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.FalseAlarmCause;
import org.arc4j.core.pipeline.VerificationResult;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.VerificationMethod;
import org.junit.jupiter.api.Test;

class WorkflowStepsTest {
    private final Fixtures f = new Fixtures();
    private final WorkflowSteps steps = WorkflowSteps.INSTANCE;

    private static CaseException.Reason reason(Runnable r) {
        try {
            r.run();
        } catch (CaseException e) {
            return e.reason();
        }
        throw new AssertionError("no CaseException");
    }

    private CaseFile taken() {
        CaseFile c = f.openCase();
        f.apply(c, steps.present(c, "console-1").orElseThrow());
        f.apply(c, steps.take(c, "op1"));
        return c;
    }

    @Test
    void onlyTheFirstPresentationCountsAndOnlyAPresentedCaseIsTaken() {
        CaseFile c = f.openCase();
        assertThat(reason(() -> steps.take(c, "op1"))).isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        WorkflowSteps.Step p = steps.present(c, "console-1").orElseThrow();
        assertThat(p.action()).isEqualTo(CaseAction.PRESENTED);
        assertThat(p.actor()).isEqualTo(new CaseActor(CaseActor.Kind.CONSOLE, "console-1"));
        f.apply(c, p);
        assertThat(steps.present(c, "console-2")).isEmpty();
        f.apply(c, steps.take(c, "op1"));
        assertThatThrownBy(() -> steps.take(c, "op2")).isInstanceOf(CaseException.class)
                .hasMessageContaining("already taken by op1");
    }

    @Test
    void verificationNeedsATakenCaseAndKeyCustomersVideoFirst() {
        CaseFile fresh = f.openCase();
        assertThat(reason(() -> steps.startVerification(fresh, "op1", VerificationMethod.PHONE)))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        CaseFile c = taken();
        WorkflowSteps.Step s = steps.startVerification(c, "op1", VerificationMethod.PHONE);
        assertThat(s.details()).containsEntry("method", "PHONE").containsEntry("limit", "PT5M");
        assertThat(reason(() -> steps.verify(c, "op1", VerificationResult.REAL, null)))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        f.apply(c, s);
        assertThat(steps.verify(c, "op1", VerificationResult.FALSE, "pet").details())
                .containsEntry("result", "FALSE").containsEntry("cause", "pet");
    }

    @Test
    void aKeyCustomerMustBeVerifiedByVideoBeforeAnyOtherRemoteMethod() {
        org.arc4j.core.customer.CustomerDirectory d = new org.arc4j.core.customer.CustomerDirectory(
                new org.arc4j.core.testkit.InMemoryRecordStore(), f.scheduler.clock());
        d.put(new Customer("bank", "Bank", CustomerType.FINANCIAL, "2 Bank St", java.util.List.of(), true, null));
        d.put(org.arc4j.core.customer.Site.of("bank-1", "bank", "Bank", "2 Bank St", null, null, java.util.List.of()));
        d.put(new org.arc4j.core.customer.Account(Fixtures.ACCOUNT, "bank-1", org.arc4j.core.event.Transport.IP,
                null, null));
        CaseFile c = new CaseOpener(d, org.arc4j.core.sla.SlaPolicy.ga1383(), org.arc4j.core.pipeline.Rules.NONE)
                .open(f.received(Fixtures.contactId("130", Qualifier.NEW_EVENT, Category.INTRUSION, "001")),
                        f.scheduler.now());
        assertThat(c.keyCustomer()).isTrue();
        f.apply(c, steps.present(c, "console-1").orElseThrow());
        f.apply(c, steps.take(c, "op1"));
        assertThat(reason(() -> steps.startVerification(c, "op1", VerificationMethod.PHONE)))
                .isEqualTo(CaseException.Reason.VIDEO_REQUIRED);
        steps.startVerification(c, "op1", VerificationMethod.GUARD); // a guard on site is not remote
        f.apply(c, steps.startVerification(c, "op1", VerificationMethod.VIDEO));
        assertThat(steps.startVerification(c, "op1", VerificationMethod.PHONE).action())
                .isEqualTo(CaseAction.VERIFICATION_STARTED);
    }

    @Test
    void forwardsOncePerRecipientNeverADrillToPoliceAndConfirmsPoliceAsACheck() {
        CaseFile c = taken();
        WorkflowSteps.Step s = steps.forward(c, "op1", "police-110", ForwardChannel.IP, true);
        assertThat(s.details()).containsEntry("police", "true").containsEntry("automatic", "false")
                .containsEntry("limit", "PT4S");
        f.apply(c, s);
        assertThat(reason(() -> steps.forward(c, "op1", "police-110", ForwardChannel.PSTN, true)))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        assertThat(steps.forwardByRule(c, "fire", "fire-119", ForwardChannel.IP, false).actor())
                .isEqualTo(CaseActor.rule("fire"));
        assertThat(steps.confirmForward(c, "op1", "police-110").action()).isEqualTo(CaseAction.POLICE_CHECKED);
        assertThat(reason(() -> steps.confirmForward(c, "op1", "nobody")))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        f.apply(c, steps.forwardDelivered(c, "police-110", new CaseActor(CaseActor.Kind.EXTERNAL, "gw")));
        assertThat(reason(() -> steps.forwardDelivered(c, "police-110", new CaseActor(CaseActor.Kind.EXTERNAL, "gw"))))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);

        CaseFile drillCase = new CaseOpener(null, org.arc4j.core.sla.SlaPolicy.ga1383(),
                org.arc4j.core.pipeline.Rules.NONE).open(f.received(Fixtures.contactId("130", Qualifier.NEW_EVENT,
                Category.INTRUSION, "001").drill(true)), f.scheduler.now());
        assertThat(drillCase.drill()).isTrue();
        assertThat(reason(() -> steps.forward(drillCase, "op1", "police-110", ForwardChannel.IP, true)))
                .isEqualTo(CaseException.Reason.DRILL);
        assertThat(steps.forward(drillCase, "op1", "owner", ForwardChannel.PHONE, false).action())
                .isEqualTo(CaseAction.FORWARDED);
    }

    @Test
    void aGuardReportsDepartureArrivalThenReportsInOrder() {
        CaseFile c = taken();
        assertThat(reason(() -> steps.guardReport(c, "g7", CaseAction.GUARD_DEPARTED, null)))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        f.apply(c, steps.dispatch(c, "op1", "g7"));
        assertThat(reason(() -> steps.dispatch(c, "op1", "g8"))).isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        assertThat(reason(() -> steps.guardReport(c, "g7", CaseAction.GUARD_ARRIVED, null)))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        f.apply(c, steps.guardReport(c, "g7", CaseAction.GUARD_DEPARTED, null));
        f.apply(c, steps.guardReport(c, "g7", CaseAction.GUARD_ARRIVED, null));
        assertThat(steps.guardReport(c, "g7", CaseAction.DEVICE_RESET, "power cut").details())
                .isEqualTo(Map.of("cause", "power cut"));
        assertThat(steps.guardReport(c, "g7", CaseAction.ONSITE_REPORT, "door open").details())
                .isEqualTo(Map.of("report", "door open"));
        assertThatThrownBy(() -> steps.guardReport(c, "g7", CaseAction.CLOSED, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeNeedsATakenCaseArchiveAClosedOneAndFalseAlarmsAPoliceForward() {
        CaseFile fresh = f.openCase();
        assertThat(reason(() -> steps.close(fresh, "op1", null))).isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        CaseFile c = taken();
        assertThat(reason(() -> steps.archive(c, "op1"))).isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        assertThat(reason(() -> steps.markFalseAlarm(c, "op1", FalseAlarmCause.EQUIPMENT_FAULT)))
                .isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        f.apply(c, steps.forward(c, "op1", "police-110", ForwardChannel.IP, true));
        f.apply(c, steps.close(c, "op1", "handled"));
        assertThat(c.state()).isEqualTo(CaseState.CLOSED);
        assertThat(reason(() -> steps.close(c, "op1", null))).isEqualTo(CaseException.Reason.ILLEGAL_STATE);
        // a false alarm may still be marked after closing
        assertThat(steps.markFalseAlarm(c, "op1", FalseAlarmCause.EQUIPMENT_FAULT).details())
                .containsEntry("cause", "EQUIPMENT_FAULT");
        assertThat(steps.archive(c, "op1").action()).isEqualTo(CaseAction.ARCHIVED);
        assertThat(steps.notified("op1", true, "phone").action()).isEqualTo(CaseAction.INSURER_NOTIFIED);
        assertThat(steps.notification(false)).isEqualTo(CaseAction.CLIENT_NOTIFIED);
    }
}
