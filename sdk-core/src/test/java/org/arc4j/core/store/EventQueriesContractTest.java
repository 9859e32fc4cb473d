package org.arc4j.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.arc4j.core.event.Category;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link EventQueries} and {@link Retention} contracts, over every store that implements them: the journal
 * and PostgreSQL answer the same queries on the same records, and keep and remove the same records at compaction
 * (the scenarios of {@link JournalQueryTest} and {@link JournalRetentionTest}).
 */
class EventQueriesContractTest {
    @TempDir
    Path tmp;

    /** Opens a store judging retention by the clock given. */
    interface Opener extends Function<Object[], RecordStore> {
    }

    static Stream<Arguments> implementations() {
        Opener journal = a -> Journal.builder((Path) a[0]).segmentBytes(4096).clock((Clock) a[1])
                .compactionEvery(null).open();
        Opener postgres = a -> PostgresStores.open(b -> b.clock((Clock) a[1]));
        return Stream.of(Arguments.of("journal", journal), Arguments.of("PostgreSQL", postgres));
    }

    @AfterAll
    static void closePools() {
        PostgresStores.closePools();
    }

    private RecordStore open(Opener opener, Clock clock) {
        return opener.apply(new Object[] {tmp.resolve("store"), clock});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void queriesByTimeAccountCategoryAndCaseState(String name, Opener opener) {
        try (RecordStore store = open(opener, Clock.systemUTC())) {
            List<String> ids = new ArrayList<>();
            JournalQueryTest.fill(store, ids);
            EventQueries q = (EventQueries) store;
            JournalQueryTest.assertQueries(q);

            store.append(JournalQueryTest.event(JournalQueryTest.ev(ids, 9, "1001", Category.MEDICAL)))
                    .toCompletableFuture().join();
            store.append(JournalQueryTest.transition("case-c", JournalQueryTest.T0, "{\"state\":\"OPEN\",\"events\":[\""
                    + ids.get(ids.size() - 1) + "\"]}")).toCompletableFuture().join();
            assertThat(JournalQueryTest.accounts(q.events(EventQuery.all().withAccount("1001"))))
                    .containsExactly("0", "1", "9");
            assertThat(JournalQueryTest.accounts(q.events(EventQuery.all().withCaseState("OPEN"))))
                    .containsExactly("9");
            assertThat(q.casesIn("OPEN")).singleElement().satisfies(c -> {
                assertThat(c.caseId()).isEqualTo("case-c");
                assertThat(c.events()).containsExactly(ids.get(ids.size() - 1));
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void compactionRemovesOnlyWhatIsPastItsRetentionAndKeepsPositions(String name, Opener opener) {
        JournalRetentionTest scenario = new JournalRetentionTest();
        Clock later = Clock.fixed(JournalRetentionTest.NOW.plus(Duration.ofDays(1)), java.time.ZoneOffset.UTC);
        try (RecordStore store = open(opener, later)) {
            scenario.fill(store);
            long next = store.nextPosition();
            Set<String> before = new TreeSet<>();
            store.replay(1, r -> before.add(r.position() + ":" + RecordStoreContractTest.text(r)));
            assertThat(scenario.contents(store)).containsAll(scenario.expected(false));

            CompactionReport report = ((Retention) store).compact();

            long[] after = {0};
            store.replay(1, r -> after[0]++);
            assertThat(report.recordsRemoved()).isPositive().isEqualTo(before.size() - after[0]);
            assertThat(scenario.contents(store)).containsAll(scenario.expected(true))
                    .doesNotContainAnyElementsOf(scenario.expected(false));
            // the records kept keep their positions (transitions name their event's position)
            store.replay(1, r -> assertThat(before).contains(r.position() + ":" + RecordStoreContractTest.text(r)));
            EventQueries q = (EventQueries) store;
            assertThat(q.caseState("case-closed")).isEmpty();
            assertThat(q.caseState("case-police")).hasValueSatisfying(c -> assertThat(c.police()).isTrue());
            assertThat(q.events(EventQuery.all().withAccount("1001"))).hasSize(3);
            assertThat(((Retention) store).compact().recordsRemoved()).isZero();
            assertThat(store.nextPosition()).isEqualTo(next);
        }
    }
}
