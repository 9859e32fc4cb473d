package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.arc4j.core.store.Journal;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal written before checkpoints (src/test/resources/journal-v1, see its README) opens with today's code and
 * gives back the same cases, first by reading it whole, then from the checkpoint today's code writes on close.
 */
class JournalVersion1Test {
    private static final String RECEIVED = "C01M8RDA8H0B63F6ZTQVXTD3N2B";
    private static final String PRESENTED = "C01M8RDA7HRQS4QGZKCPFEEWA1D";
    private static final String VERIFYING = "C01M8RDA6JG1S7H92Y1VWK4BN9W";
    private static final String CLOSED = "C01M8RDA5K8J6D4PGD9T0EZCT1X";
    private static final String ARCHIVED = "C01M8RDA4M0C0CRBNP17RTKS5T6";

    @TempDir
    Path dir;

    private void copyResource() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/journal-v1/00000000000000000001.seg")) {
            assertThat(in).isNotNull();
            Files.copy(in, dir.resolve("00000000000000000001.seg"));
        }
    }

    @Test
    void theVersion1JournalRecoversTheSameCasesThenRecoversThemFromItsCheckpoint() throws IOException {
        copyResource();
        Instant later = Instant.parse("2026-12-01T09:10:00Z");
        try (Journal j = Journal.open(dir)) {
            assertThat(j.newest(RecordType.CHECKPOINT, "pipeline/open-cases")).isEmpty();
            AlarmPipeline p = AlarmPipeline.builder(j, new ManualScheduler(later))
                    .authorizer(CaseAuthorizer.ALLOW_ALL).build();
            assertThat(p.recover()).isEqualTo(3);
            assertThat(p.openCases()).extracting(AlarmCase::id)
                    .containsExactlyInAnyOrder(RECEIVED, PRESENTED, VERIFYING);
            assertThat(p.get(VERIFYING)).hasValueSatisfying(c -> {
                assertThat(c.state()).isEqualTo(CaseState.VERIFYING);
                assertThat(c.takenBy()).isEqualTo("op1");
                assertThat(c.event().account()).isEqualTo("5003");
            });
            assertThat(p.get(CLOSED)).hasValueSatisfying(c -> assertThat(c.state()).isEqualTo(CaseState.CLOSED));
            assertThat(p.caseIds()).doesNotContain(ARCHIVED);
            // not in memory, but the store still answers for it (read back from version-1 transitions)
            assertThat(p.get(ARCHIVED)).hasValueSatisfying(c -> assertThat(c.state()).isEqualTo(CaseState.ARCHIVED));
            p.close(); // today's code writes its checkpoint
        }
        try (Journal j = Journal.open(dir)) {
            assertThat(j.newest(RecordType.CHECKPOINT, "pipeline/open-cases")).isPresent();
            AlarmPipeline p = AlarmPipeline.builder(j, new ManualScheduler(later.plusSeconds(1)))
                    .authorizer(CaseAuthorizer.ALLOW_ALL).build();
            assertThat(p.recover()).isEqualTo(3);
            assertThat(p.openCases()).extracting(AlarmCase::id)
                    .containsExactlyInAnyOrder(RECEIVED, PRESENTED, VERIFYING);
            assertThat(p.get(PRESENTED)).hasValueSatisfying(c -> {
                assertThat(c.state()).isEqualTo(CaseState.PRESENTED);
                assertThat(c.event().account()).isEqualTo("5004");
            });
            assertThat(p.caseIds()).as("closed: not read back from the checkpoint").doesNotContain(CLOSED);
            assertThat(p.get(CLOSED)).hasValueSatisfying(c -> assertThat(c.state()).isEqualTo(CaseState.CLOSED));
            p.close();
        }
    }
}
