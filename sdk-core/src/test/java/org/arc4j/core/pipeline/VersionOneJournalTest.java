package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written by version 1 of the case transition (the event embedded in RECEIVED), kept as a test resource:
 * written on 2026-12-04 by the pipeline of that day. Two alarms, accounts 1001 and 1002; 1001's case presented and
 * taken, 1002's closed and archived; closed cleanly (a pipeline checkpoint at the end). It must stay readable.
 */
class VersionOneJournalTest {
    private static final String SEGMENT = "00000000000000000001.seg";
    private static final String OPEN_CASE = "C01M904G9M0DJ1ZZBQ3RX18SZMV";

    @TempDir
    Path dir;

    private void copyResource() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("journal-v1/" + SEGMENT)) {
            assertThat(in).as("the version-1 journal resource").isNotNull();
            Files.copy(in, dir.resolve(SEGMENT));
        }
    }

    @Test
    void itsOpenCaseIsRecoveredWithTheEventItsTransitionEmbeds() throws Exception {
        copyResource();
        ManualScheduler s = new ManualScheduler(Instant.parse("2026-12-04T10:00:00Z"));
        try (Journal j = Journal.builder(dir).durability(Durability.OS_BUFFERED).open()) {
            AlarmPipeline p = AlarmPipeline.builder(j, s).authorizer(CaseAuthorizer.ALLOW_ALL).build();
            assertThat(p.recover()).isEqualTo(1);
            AlarmCase c = p.get(OPEN_CASE).orElseThrow();
            assertThat(c.state()).isEqualTo(CaseState.TAKEN);
            assertThat(c.event().account()).isEqualTo("1001");
            assertThat(c.event().zone()).isEqualTo("001");
            assertThat(c.event().id().toString()).isEqualTo(OPEN_CASE.substring(1));
        }
    }

    @Test
    void withoutItsCheckpointTheWholeVersionOneLogIsReplayed() throws Exception {
        copyResource();
        ManualScheduler s = new ManualScheduler(Instant.parse("2026-12-04T10:00:00Z"));
        try (Journal j = Journal.builder(dir).durability(Durability.OS_BUFFERED).open()) {
            // a checkpoint that points beyond the store's end is not sound: recovery reads everything
            j.append(new NewRecord(RecordType.CHECKPOINT, 1, Instant.parse("2026-12-04T09:30:00Z"),
                    "pipeline/open-cases", "{\"v\":1,\"from\":999999,\"eventsFrom\":1,\"cases\":[],\"arming\":[]}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8))).toCompletableFuture().join();
            AlarmPipeline p = AlarmPipeline.builder(j, s).authorizer(CaseAuthorizer.ALLOW_ALL).build();
            assertThat(p.recover()).isEqualTo(1);
            assertThat(p.caseIds()).containsExactly(OPEN_CASE);
            assertThat(p.get(OPEN_CASE).orElseThrow().event().account()).isEqualTo("1001");
            assertThat(List.copyOf(p.openCases())).hasSize(1);
        }
    }
}
