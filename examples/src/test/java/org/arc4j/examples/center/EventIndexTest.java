package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.event.EventId;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event list's index holds a bounded window and still pages through every event, the older ones from disk. */
class EventIndexTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    private static EventId id(int n) {
        return EventId.of((T0.toEpochMilli() + n * 10L) << 16, n);
    }

    /** Writes {@code n} events with other records between them; returns their positions by event number. */
    private static List<Long> write(Journal j, int from, int n) {
        List<CompletableFuture<Long>> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String json = "{\"v\":1,\"id\":\"" + id(i) + "\",\"account\":\"1000\"}";
            out.add(j.append(new NewRecord(RecordType.EVENT, 1, T0, "e", json.getBytes(StandardCharsets.UTF_8)))
                    .toCompletableFuture());
            j.append(new NewRecord(RecordType.AUDIT, 1, T0, "a", "{}".getBytes(StandardCharsets.UTF_8)));
        }
        return out.stream().map(CompletableFuture::join).toList();
    }

    /** Every page, newest first, until the end. */
    private static List<Long> pageThrough(EventIndex index, Journal j, int page) {
        List<Long> all = new ArrayList<>();
        EventId after = null;
        while (true) {
            long[] p = index.newest(page, after);
            for (long x : p) {
                all.add(x);
            }
            if (p.length < page) {
                return all;
            }
            String json = new String(j.read(p[p.length - 1]).orElseThrow().payload(), StandardCharsets.UTF_8);
            after = EventId.parse(json.substring(json.indexOf("\"id\":\"") + 6, json.indexOf("\"id\":\"") + 32));
        }
    }

    @Test
    void aFloodStaysWithinTheBoundAndEveryPageIsStillThere() throws Exception {
        try (Journal j = Journal.builder(dir.resolve("journal")).open()) {
            List<Long> positions = write(j, 0, 1_000);
            List<Long> newestFirst = new ArrayList<>(positions);
            java.util.Collections.reverse(newestFirst);
            try (EventIndex index = new EventIndex(j, 100)) {
                assertThat(index.awaitCaughtUp(j.nextPosition(), 30_000)).isTrue();
                assertThat(index.size()).isBetween(1, 100);
                assertThat(index.coveredFrom()).isGreaterThan(1);
                assertThat(pageThrough(index, j, 30)).isEqualTo(newestFirst);
                write(j, 1_000, 500);
                assertThat(index.awaitCaughtUp(j.nextPosition(), 30_000)).isTrue();
                assertThat(index.size()).isLessThanOrEqualTo(100);
                assertThat(pageThrough(index, j, 64)).hasSize(1_500).startsWith(j.nextPosition() - 2);
            }
            // a start reads only the journal's end, and still pages through everything
            try (EventIndex again = new EventIndex(j, 100)) {
                assertThat(again.awaitCaughtUp(j.nextPosition(), 30_000)).isTrue();
                assertThat(again.coveredFrom()).isGreaterThanOrEqualTo(j.nextPosition() - 400);
                assertThat(pageThrough(again, j, 70)).hasSize(1_500).doesNotHaveDuplicates();
            }
        }
    }
}
