package org.arc4j.examples.center.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' work records fall into the store's retention classes (GA 1383: at least 180 days, those of police
 * alarms forever): on the journal, on virtual time, compaction a year later keeps the views, screen chunks and
 * phone-call recordings of a case forwarded to the police and removes those of an ordinary closed case and of no case.
 */
class WorkRecordsRetentionTest {
    static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void recordsOfAPoliceCaseOutliveTheOthers() throws Exception {
        ManualScheduler scheduler = new ManualScheduler(T0);
        try (Journal j = Journal.builder(dir.resolve("journal")).segmentBytes(4096).scheduler(scheduler)
                .compactionEvery(null).open()) {
            WorkRecords work = new WorkRecords(dir, j, scheduler.clock());
            transition(j, "case-police", "{\"state\":\"FORWARDED_TO_POLICE\",\"police\":true}");
            transition(j, "case-plain", "{\"state\":\"CLOSED\"}");
            work.record("case-police", "zhao", "view", "GET /api/cases/case-police");
            work.record("case-plain", "zhao", "view", "GET /api/cases/case-plain");
            String rec = work.startRecording("zhao");
            byte[] webm = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 1, 2, 3};
            work.chunk(rec, "zhao", 0, "case-police", webm);
            work.chunk(rec, "zhao", 1, "case-plain", new byte[] {4, 5});
            work.chunk(rec, "zhao", 2, null, new byte[] {6});
            // the phone calls: forwarding the police case, verifying the other (the call-recording SPI)
            byte[] wav = "RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
            work.calls().store(new CallRecordingSink.Call("case-police", CallRecordingSink.Purpose.FORWARD, "zhao",
                    "110", T0, T0.plusSeconds(40)), "audio/wav", wav);
            work.calls().store(new CallRecordingSink.Call("case-plain", CallRecordingSink.Purpose.VERIFICATION,
                    "zhao", "+86 138 0000 0001", T0, T0.plusSeconds(30)), "audio/x-wav", wav);
            for (int i = 0; i < 200; i++) {
                j.append(new NewRecord(RecordType.SUPERVISION, 1, T0, "dev", ("filler-" + i)
                        .getBytes(StandardCharsets.UTF_8))).toCompletableFuture().join();
            }
            assertThatThrownBy(() -> work.calls().store(new CallRecordingSink.Call("case-plain",
                    CallRecordingSink.Purpose.VERIFICATION, "zhao", "110", T0, T0), "audio/wav", new byte[] {1, 2}))
                    .hasMessageStartingWith("type");
            // what each holds now
            assertThat(work.ofCase("case-police").findValuesAsText("kind")).containsExactly("view", "screen-chunk",
                    "call");
            assertThat(work.ofCase("case-plain").findValuesAsText("kind")).containsExactly("view", "screen-chunk",
                    "call");
            assertThat(work.ofCase("case-police").findValuesAsText("purpose")).containsExactly("forward");

            // 179 days on, all is there; a year on, only the police case's
            scheduler.manualClock().set(T0.plus(Duration.ofDays(179)));
            j.compact();
            assertThat(work.ofCase("case-plain")).hasSize(3);
            assertThat(subjects(j)).contains("work/zhao");
            scheduler.manualClock().set(T0.plus(Duration.ofDays(365)));
            j.compact();
            assertThat(work.ofCase("case-police")).hasSize(3);
            assertThat(work.ofCase("case-plain")).isEmpty();
            assertThat(subjects(j)).doesNotContain("work/zhao");
        }
    }

    private static void transition(Journal j, String caseId, String json) {
        j.append(new NewRecord(RecordType.CASE_TRANSITION, 1, T0, caseId, json.getBytes(StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
    }

    private static List<String> subjects(Journal j) {
        List<String> s = new ArrayList<>();
        j.replay(1, java.util.Set.of(RecordType.OPERATOR_ACTION), r -> s.add(r.subject()));
        return s;
    }
}
