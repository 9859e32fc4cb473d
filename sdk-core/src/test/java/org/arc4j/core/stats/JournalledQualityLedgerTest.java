package org.arc4j.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAction;
import org.arc4j.core.pipeline.CaseActor;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.pipeline.CaseTransition;
import org.arc4j.core.pipeline.FalseAlarmCause;
import org.arc4j.core.pipeline.VerificationResult;
import org.arc4j.core.pipeline.internal.TransitionJson;
import org.arc4j.core.sla.ForwardChannel;
import org.arc4j.core.sla.VerificationMethod;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality ledger over a store: a manual input counts only once it is durable, a failed write counts nothing,
 * and a ledger reopened over the same journal (what a restart does) reports the same figures, on virtual time.
 */
class JournalledQualityLedgerTest {
    static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
    static final Instant YEAR = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant NEXT_YEAR = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualScheduler scheduler = new ManualScheduler(T0);

    @TempDir
    Path dir;

    @Test
    void aManualInputCountsOnlyOnceItIsDurable() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        QualityLedger ledger = QualityLedger.open(store, scheduler.clock());
        store.hold();
        CompletionStage<Void> missed = ledger.recordMissedAlarm(T0, "panel 7 alarm never shown");
        CompletionStage<Void> fault = ledger.openFault("F1", T0, "communication", false);
        CompletionStage<Void> score = ledger.recordSatisfaction("c1", 90, T0);
        assertThat(missed.toCompletableFuture()).isNotDone();
        QualityReport before = ledger.report(YEAR, NEXT_YEAR);
        assertThat(before.missedAlarms()).isZero();
        assertThat(before.faults()).isZero();
        assertThat(before.surveyed()).isZero();
        // a ticket on its way to the store is taken: neither opened twice nor closed before it exists
        assertThatThrownBy(() -> ledger.openFault("F1", T0, "power", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.closeFault("F1", T0.plusSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class);

        store.release();
        assertThat(missed.toCompletableFuture()).isCompleted();
        assertThat(fault.toCompletableFuture()).isCompleted();
        assertThat(score.toCompletableFuture()).isCompleted();
        QualityReport after = ledger.report(YEAR, NEXT_YEAR);
        assertThat(after.missedAlarms()).isEqualTo(1);
        assertThat(after.faults()).isEqualTo(1);
        assertThat(after.satisfaction()).hasValue(90.0);
        assertThat(ledger.missedAlarms(YEAR, NEXT_YEAR))
                .containsExactly(Map.entry(T0, "panel 7 alarm never shown"));
        assertThat(QualityLedger.open(store, scheduler.clock()).report(YEAR, NEXT_YEAR)).isEqualTo(after);
    }

    @Test
    void aFailedWriteCountsNothingAndFreesTheTicket() {
        FailingStore store = new FailingStore(new InMemoryRecordStore());
        QualityLedger ledger = QualityLedger.open(store, scheduler.clock());
        store.failing = true;
        CompletableFuture<Void> missed = ledger.recordMissedAlarm(T0, "lost").toCompletableFuture();
        CompletableFuture<Void> fault = ledger.openFault("F1", T0, "power", true).toCompletableFuture();
        assertThat(missed).isCompletedExceptionally();
        assertThat(fault).isCompletedExceptionally();
        assertThat(ledger.report(YEAR, NEXT_YEAR).missedAlarms()).isZero();
        assertThat(ledger.faults()).isEmpty();

        store.failing = false;
        assertThat(ledger.openFault("F1", T0, "power", true).toCompletableFuture()).isCompleted();
        assertThat(ledger.faults()).extracting(FaultTicket::id).containsExactly("F1");
        assertThat(QualityLedger.open(store, scheduler.clock()).faults()).isEqualTo(ledger.faults());
    }

    @Test
    void aLedgerReopenedOverTheJournalReportsTheSameFigures() throws Exception {
        QualityReport year;
        MonthlyClassification march;
        DailyStatistics day;
        List<FaultTicket> faults;
        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            QualityLedger ledger = QualityLedger.open(journal, scheduler.clock());
            AlarmPipeline pipeline = AlarmPipeline.builder(journal, scheduler).authorizer(CaseAuthorizer.ALLOW_ALL)
                    .build();
            pipeline.addListener(ledger::onPipelineEvent);
            StoreAlarmIntake intake = StoreAlarmIntake.open(journal, scheduler.clock(),
                    new EventIdGenerator(scheduler.clock(), new Random(7)), 16, Duration.ofHours(1));
            // six alarms: 0 and 3 verified false (pet), 1 and 4 forwarded to police, 4 later marked a false alarm
            for (int n = 0; n < 6; n++) {
                AlarmEvent e = event(n % 3 == 2 ? Category.FIRE : Category.INTRUSION, n % 3 == 2 ? "110" : "130");
                // handed over on the test's thread, as the centre's pipeline thread does
                pipeline.onAccepted((Receipt.Accepted) await(intake.accept(List.of(e), IdempotencyKey.of("t", "m" + n))));
                AlarmCase k = pipeline.openCases().stream().filter(c -> c.state().name().equals("RECEIVED"))
                        .findFirst().orElseThrow();
                String id = k.id();
                await(pipeline.present(id, "console"));
                await(pipeline.take(id, "op"));
                await(pipeline.startVerification(id, "op", VerificationMethod.PHONE));
                boolean falseAlarm = n % 3 == 0;
                await(pipeline.verify(id, "op", falseAlarm ? VerificationResult.FALSE : VerificationResult.REAL,
                        falseAlarm ? "pet" : null));
                if (n % 3 == 1) {
                    await(pipeline.forward(id, "op", "police-110", ForwardChannel.PHONE, true));
                }
                if (n == 4) {
                    await(pipeline.markFalseAlarm(id, "op", FalseAlarmCause.CENTRE_ERROR));
                }
                await(pipeline.close(id, "op", "done"));
                scheduler.advance(Duration.ofMinutes(10));
            }
            // a low battery report and a tamper, as status reports through the intake
            pipeline.onAccepted((Receipt.Accepted) await(intake.accept(List.of(event(Category.DEVICE_FAULT, "302"),
                    event(Category.TAMPER, "137")), IdempotencyKey.of("t", "status"))));
            await(ledger.recordMissedAlarm(T0.plus(Duration.ofHours(2)), "alarm of 1002 never presented"));
            await(ledger.openFault("F1", T0, "communication", false));
            await(ledger.closeFault("F1", T0.plus(Duration.ofHours(30))));
            await(ledger.openFault("F2", T0, "detector", true));
            await(ledger.recordSatisfaction("c1", 70, T0));
            await(ledger.recordSatisfaction("c2", 95, T0));

            year = ledger.report(YEAR, NEXT_YEAR);
            march = ledger.monthly(YearMonth.of(2025, 3), ZoneOffset.UTC);
            day = ledger.daily(LocalDate.of(2025, 3, 1), ZoneOffset.UTC, 1, 0, 0, 0);
            faults = ledger.faults();
            pipeline.close();
            intake.close();
        }
        // what was counted: 2 police forwards, 1 false alarm mark, the missed alarm, 2 faults (1 repaired late)
        assertThat(year.policeForwards()).isEqualTo(2);
        assertThat(year.falseAlarms()).isEqualTo(1);
        assertThat(year.missedAlarms()).isEqualTo(1);
        assertThat(year.faults()).isEqualTo(2);
        assertThat(year.repairedIn24h()).isZero();
        assertThat(year.satisfaction()).hasValue(82.5);
        assertThat(march.alarmsByCategory()).isEqualTo(Map.of(Category.INTRUSION, 4L, Category.FIRE, 2L));
        assertThat(march.falseAlarmCauses()).isEqualTo(Map.of("pet", 2L));
        assertThat(march.faultsByClass()).isEqualTo(Map.of("communication", 1L, "detector", 1L));
        assertThat(day.lowBattery()).isEqualTo(1);
        assertThat(day.faults()).isEqualTo(1);

        try (Journal journal = Journal.builder(dir.resolve("journal")).open()) {
            QualityLedger rebuilt = QualityLedger.open(journal, scheduler.clock());
            assertThat(rebuilt.report(YEAR, NEXT_YEAR)).isEqualTo(year);
            assertThat(rebuilt.monthly(YearMonth.of(2025, 3), ZoneOffset.UTC)).isEqualTo(march);
            assertThat(rebuilt.daily(LocalDate.of(2025, 3, 1), ZoneOffset.UTC, 1, 0, 0, 0)).isEqualTo(day);
            assertThat(rebuilt.faults()).isEqualTo(faults);

            // rebuilt in the background: the same figures once done, and nothing written after it opened is
            // replayed (the listeners count that live)
            QualityLedger background = QualityLedger.openInBackground(journal, scheduler.clock());
            await(rebuilt.recordMissedAlarm(T0.plus(Duration.ofHours(3)), "written after the background open"));
            assertThat(background.report(YEAR, NEXT_YEAR)).isEqualTo(year);
            assertThat(background.faults()).isEqualTo(faults);
            assertThat(QualityLedger.open(journal, scheduler.clock()).report(YEAR, NEXT_YEAR).missedAlarms())
                    .isEqualTo(2);
        }
    }

    @Test
    void aReceivedTransitionThatOnlyReferencesItsEventIsCountedByTheEventsCategory() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        EventIdGenerator ids = new EventIdGenerator(scheduler.clock(), new Random(3));
        AlarmEvent fire = event(Category.FIRE, "110").withId(ids.next());
        AlarmEvent drill = event(Category.INTRUSION, "130").toBuilder().drill(true).build().withId(ids.next());
        for (AlarmEvent e : List.of(fire, drill)) {
            store.append(new NewRecord(RecordType.EVENT, EventJson.VERSION, T0, "R1/L1/1001",
                    EventJson.toJson(e).getBytes(StandardCharsets.UTF_8)));
            CaseTransition received = new CaseTransition("C" + e.id(), CaseAction.RECEIVED, CaseState.RECEIVED, T0,
                    CaseActor.SYSTEM, Map.of());
            // written without the event, as a transition format that references it does
            store.append(new NewRecord(RecordType.CASE_TRANSITION, TransitionJson.VERSION, T0, "C" + e.id(),
                    TransitionJson.write(received, e.drill(), false, null)));
        }
        MonthlyClassification march = QualityLedger.open(store, scheduler.clock())
                .monthly(YearMonth.of(2025, 3), ZoneOffset.UTC);
        assertThat(march.alarmsByCategory()).isEqualTo(Map.of(Category.FIRE, 1L));
    }

    private AlarmEvent event(Category category, String code) {
        return AlarmEvent.builder().receiver("R1").line("L1").account("1001").protocol(Protocol.DC09_ADM_CID)
                .transport(Transport.IP).ingress(new Ingress("test", "a")).code(CodeSystem.CONTACT_ID, code)
                .qualifier(Qualifier.NEW_EVENT).category(category).zone("001").receivedAt(scheduler.now()).build();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A store whose appends fail while {@code failing}: a full disk, say. */
    private static final class FailingStore implements RecordStore {
        private final RecordStore inner;
        volatile boolean failing;

        FailingStore(RecordStore inner) {
            this.inner = inner;
        }

        @Override
        public CompletionStage<Long> append(NewRecord record) {
            return failing ? CompletableFuture.failedFuture(new IllegalStateException("disk full"))
                    : inner.append(record);
        }

        @Override
        public CompletionStage<List<Long>> appendAll(List<NewRecord> records) {
            return failing ? CompletableFuture.failedFuture(new IllegalStateException("disk full"))
                    : inner.appendAll(records);
        }

        @Override
        public Optional<StoredRecord> read(long position) {
            return inner.read(position);
        }

        @Override
        public long replay(long fromPosition, Consumer<StoredRecord> sink) {
            return inner.replay(fromPosition, sink);
        }

        @Override
        public Subscription subscribe(long fromPosition, Consumer<StoredRecord> consumer) {
            return inner.subscribe(fromPosition, consumer);
        }

        @Override
        public long nextPosition() {
            return inner.nextPosition();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
