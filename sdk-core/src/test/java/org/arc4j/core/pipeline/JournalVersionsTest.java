package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventJson;
import org.arc4j.core.pipeline.internal.TransitionJson;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.core.store.internal.Frames;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Journals written by earlier versions stay readable: {@code journal-v1/} (version-1 transitions, the event
 * embedded), {@code journal-v2/} (version-2 transitions, plain frames) and {@code journal-v3/} (packed frames), each
 * a test resource written by the code of its time (see the README beside each). Every record decodes, the pipeline
 * recovers from each, and appending packed frames to an old journal leaves its old records as they were.
 */
class JournalVersionsTest {
    private static final String SEGMENT = "00000000000000000001.seg";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"journal-v1, 5, false", "journal-v2, 16, false", "journal-v3, 16, true"})
    void everyRecordOfAnOlderJournalIsReadAndStaysReadableBesideNewOnes(String resource, int events, boolean packed)
            throws Exception {
        byte[] segment;
        try (InputStream in = getClass().getResourceAsStream("/" + resource + "/" + SEGMENT)) {
            assertThat(in).as(resource).isNotNull();
            segment = in.readAllBytes();
        }
        assertThat((segment[Frames.HEADER + 9] & Frames.FLAG_PACKED) != 0).as("first frame packed").isEqualTo(packed);
        Files.write(dir.resolve(SEGMENT), segment);
        List<StoredRecord> before = new ArrayList<>();
        ManualScheduler s = new ManualScheduler(Instant.parse("2026-12-06T10:00:00Z"));
        try (Journal j = Journal.builder(dir).durability(Durability.OS_BUFFERED).open()) {
            assertThat(j.recoveryReport().clean()).isTrue();
            j.replay(1, before::add);
            int eventCount = 0;
            int received = 0;
            for (StoredRecord r : before) {
                if (r.type() == RecordType.EVENT) {
                    AlarmEvent e = EventJson.fromJson(new String(r.payload(), StandardCharsets.UTF_8));
                    assertThat(r.subject()).endsWith("/" + e.account());
                    eventCount++;
                } else if (r.type() == RecordType.CASE_TRANSITION) {
                    TransitionJson.Read t = TransitionJson.read(r.payload());
                    assertThat(t.transition().caseId()).isEqualTo(r.subject());
                    if (t.transition().action() == CaseAction.RECEIVED) {
                        received++;
                        assertThat(t.event() != null || t.eventAt() > 0).as("RECEIVED names its event").isTrue();
                    }
                }
            }
            assertThat(eventCount).isEqualTo(events);
            assertThat(received).isEqualTo(events);
            AlarmPipeline p = AlarmPipeline.builder(j, s).authorizer(CaseAuthorizer.ALLOW_ALL).build();
            p.recover();
            for (AlarmCase c : p.openCases()) {
                assertThat(c.event()).as("open case %s has its event", c.id()).isNotNull();
            }
            p.close();
            j.append(new NewRecord(RecordType.AUDIT, 1, Instant.parse("2026-12-06T10:00:01Z"), "admin",
                    "{\"what\":\"login\",\"user\":\"admin\",\"from\":\"127.0.0.1\"}".getBytes(StandardCharsets.UTF_8)))
                    .toCompletableFuture().join();
        }
        try (Journal j = Journal.open(dir)) {
            List<StoredRecord> after = new ArrayList<>();
            j.replay(1, after::add);
            // the pipeline's checkpoint on close, then the audit record
            assertThat(after).hasSize(before.size() + 2);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i).subject()).isEqualTo(before.get(i).subject());
                assertThat(after.get(i).at()).isEqualTo(before.get(i).at());
                assertThat(after.get(i).payload()).isEqualTo(before.get(i).payload());
            }
            assertThat(after.get(before.size()).type()).isEqualTo(RecordType.CHECKPOINT);
            assertThat(new String(after.get(before.size() + 1).payload(), StandardCharsets.UTF_8)).contains("login");
        }
    }
}
