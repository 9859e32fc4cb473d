package org.arc4j.examples.center.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.stats.FaultTicket;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.protocols.onvif.testkit.TestOnvifDevice;
import org.arc4j.media.rtsp.MediaDescription;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.arc4j.core.testkit.Await;

/**
 * A camera's health on virtual time: pictures given to its feed as its RTSP session would, the clock advanced by
 * hand. Below 15 fps is a VIDEO_FAULT event with a repair ticket; a silent stream stays the same fault; recovery
 * restores what was reported and closes the ticket.
 */
class VideoServiceTest {
    private static final MediaDescription TRACK = new MediaDescription("video", 0, "RTP/AVP", 96, "H264", 90_000,
            Map.of(), URI.create("rtsp://127.0.0.1:9/x/track1"));

    @TempDir
    Path dir;
    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-12-05T08:00:00Z"));
    private final InMemoryRecordStore journal = new InMemoryRecordStore();
    private final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    private final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    private final List<String> pushed = new CopyOnWriteArrayList<>();
    private final Map<String, String> accounts = new ConcurrentHashMap<>();
    private QualityLedger ledger;
    private VideoService video;
    private long rtp = 1_000;

    @BeforeEach
    void start() {
        ledger = QualityLedger.open(journal, scheduler.clock());
        video = start(journal);
    }

    private VideoService start(InMemoryRecordStore store) {
        VideoConfig config = new VideoConfig("10s", null, List.of(new VideoConfig.Camera("cam1", "vault", "S1", "002",
                "rtsp://127.0.0.1:9/x", null, null, null, null, 0.5, 0.5, null)));
        return VideoService.start(config, new VideoService.Parts(scheduler, store, dir, vault, intake,
                new InMemorySupervisor(scheduler), new SimpleMetrics(), pushed::add, accounts::put, Set.of("S1"),
                ledger));
    }

    @AfterEach
    void stop() {
        video.close();
    }

    /** Pictures at a rate for a while, a key frame every second, the clock moving with them. */
    private void play(int fps, int seconds) {
        CameraFeed feed = video.feed("cam1");
        for (int i = 0; i < fps * seconds; i++) {
            byte[] nal = i % fps == 0 ? new byte[] {0x65, 1, 2, 3} : new byte[] {0x41, 4, 5};
            feed.accessUnit(TRACK, new AccessUnit(VideoCodec.H264, rtp, List.of(nal), true));
            rtp += 90_000 / fps;
            scheduler.advance(Duration.ofMillis(1000 / fps));
        }
    }

    private List<AlarmEvent> faults() {
        return intake.events().stream().filter(e -> e.category() == Category.VIDEO_FAULT).toList();
    }

    private JsonNode camera() {
        return video.cameras().get(0);
    }

    @Test
    void aSlowThenSilentCameraIsOneFaultWithATicketUntilItRecovers() {
        assertThat(accounts).containsEntry("cam1", "S1");
        play(25, 3);
        assertThat(faults()).isEmpty();
        assertThat(camera().path("fps").asDouble()).isEqualTo(25.0);
        assertThat(camera().path("bufferedSeconds").asDouble()).isGreaterThan(2.5);

        play(10, 6);
        assertThat(faults()).hasSize(1);
        AlarmEvent slow = faults().get(0);
        assertThat(slow.account()).isEqualTo("cam1");
        assertThat(slow.code()).isEqualTo("LOW_FRAME_RATE");
        assertThat(slow.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
        assertThat(slow.zone()).isEqualTo("002");
        assertThat(camera().path("fault").asText()).startsWith("LOW_FRAME_RATE 10.0 fps");
        String ticket = camera().path("ticket").asText();
        assertThat(ledger.faults()).extracting(FaultTicket::id).containsExactly(ticket);
        assertThat(pushed).anySatisfy(m -> assertThat(m).contains("\"type\":\"camera\"").contains("LOW_FRAME_RATE"));

        // silence: the stream is lost, still the same fault and ticket
        scheduler.advance(Duration.ofSeconds(6));
        assertThat(camera().path("fault").asText()).startsWith("STREAM_LOST");
        assertThat(faults()).hasSize(1);
        assertThat(ledger.faults().get(0).closedAt()).isNull();

        play(25, 3);
        assertThat(camera().path("fault").isNull()).isTrue();
        assertThat(faults()).hasSize(2);
        AlarmEvent restore = faults().get(1);
        assertThat(restore.qualifier()).isEqualTo(Qualifier.RESTORE);
        assertThat(restore.code()).as("the restore names what was reported").isEqualTo("LOW_FRAME_RATE");
        assertThat(ledger.faults().get(0).closedAt()).isNotNull();
        assertThat(camera().path("ticket").isNull()).isTrue();
    }

    @Test
    void aCameraThatNeverSendsIsLostAfterFiveSeconds() {
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(faults()).isEmpty();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(faults()).extracting(AlarmEvent::code).containsExactly("VIDEO_LOSS");
        assertThat(camera().path("state").asText()).isNotEqualTo("PLAYING");
    }

    @Test
    void camerasChangedThroughTheApiAreJournalledAndBackAfterARestart() {
        VideoConfig.Camera c2 = new VideoConfig.Camera("cam2", null, "S1", null, "rtsp://127.0.0.1:9/y", null, "u",
                "secret-pw", "12s", null, null, null);
        assertThat(video.put(c2, "zhao")).isCompleted();
        assertThat(video.ids()).containsExactly("cam1", "cam2");
        assertThat(video.cameras(("S1"))).hasSize(2);
        assertThat(video.cameras().get(1).path("preAlarmSeconds").asLong()).isEqualTo(12);
        assertThatThrownBy(() -> video.put(new VideoConfig.Camera("cam3", null, "S9", null, "rtsp://h/x", null, null,
                null, null, null, null, null), "zhao")).hasMessageContaining("site 'S9'");
        assertThat(video.remove("cam1", "zhao")).isPresent();
        assertThat(video.remove("cam1", "zhao")).isEmpty();
        assertThat(video.ids()).containsExactly("cam2");
        // the password is in the vault, never in the journal
        journal.replay(1, r -> assertThat(new String(r.payload(), StandardCharsets.UTF_8)).doesNotContain("secret-pw"));

        video.close();
        video = start(journal);
        assertThat(video.ids()).as("the file's cam1 was removed, the API's cam2 added").containsExactly("cam2");
        assertThat(video.cameras().get(0).path("preAlarmSeconds").asLong()).isEqualTo(12);
    }

    /** Moves virtual time a second at a time, letting the camera's event subscription answer, until it holds. */
    private void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached").isLessThan(deadline);
            Thread.sleep(30);
            scheduler.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void aCamerasDiskAndRecordingFailuresOverOnvifAreCameraFaultsWithTicketsUntilRestored() throws Exception {
        try (TestOnvifDevice onvif = TestOnvifDevice.start(scheduler.clock(), "admin", "cam-Pass-2931")) {
            video.close();
            video = VideoService.start(new VideoConfig("10s", null, List.of(new VideoConfig.Camera("cam5", "vault",
                    "S1", "005", "rtsp://127.0.0.1:9/x", onvif.address().toString(), "admin", "cam-Pass-2931", null,
                    0.5, 0.5, null))), new VideoService.Parts(scheduler, journal, dir, vault, intake,
                    new InMemorySupervisor(scheduler), new SimpleMetrics(), pushed::add, accounts::put, Set.of("S1"),
                    ledger));
            until(() -> onvif.count("PullMessages") >= 2);
            onvif.storageFailure(true);
            until(() -> camera().path("faults").toString().contains("DISK"));
            AlarmEvent disk = intake.events().stream()
                    .filter(e -> e.code().equals("Device/HardwareFailure/StorageFailure")).findFirst().orElseThrow();
            assertThat(disk.account()).isEqualTo("cam5");
            assertThat(disk.category()).isEqualTo(Category.VIDEO_FAULT);
            assertThat(disk.qualifier()).isEqualTo(Qualifier.NEW_EVENT);
            JsonNode fault = java.util.stream.StreamSupport.stream(camera().path("faults").spliterator(), false)
                    .filter(f -> f.path("fault").asText().startsWith("DISK")).findFirst().orElseThrow();
            assertThat(fault.path("ticket").asText()).startsWith("video-cam5-disk-");
            assertThat(ledger.faults()).anySatisfy(t -> {
                assertThat(t.id()).isEqualTo(fault.path("ticket").asText());
                assertThat(t.closedAt()).isNull();
            });
            assertThat(pushed).anySatisfy(m -> assertThat(m).contains("\"type\":\"camera\"").contains("DISK"));

            onvif.recordingJobState("Error");
            until(() -> camera().path("faults").toString().contains("RECORDING"));
            onvif.recordingJobState("Active");
            onvif.storageFailure(false);
            until(() -> !camera().path("faults").toString().contains("DISK")
                    && !camera().path("faults").toString().contains("RECORDING"));
            assertThat(intake.events()).filteredOn(e -> e.qualifier() == Qualifier.RESTORE)
                    .extracting(AlarmEvent::code)
                    .contains("Device/HardwareFailure/StorageFailure", "RecordingConfig/JobState");
            assertThat(ledger.faults()).filteredOn(t -> t.id().contains("-disk-") || t.id().contains("-recording-"))
                    .hasSize(2).allSatisfy(t -> assertThat(t.closedAt()).isNotNull());
        }
    }

    @Test
    void anOnvifCamerasClockOffsetGoesToTheClockReport() throws Exception {
        try (TestOnvifDevice onvif = TestOnvifDevice.start(scheduler.clock(), "admin", "cam-Pass-2931")) {
            onvif.clockSkew(Duration.ofSeconds(42));
            Map<String, Duration> samples = new ConcurrentHashMap<>();
            video.reportClocks(samples::put);
            assertThat(samples).isEmpty(); // cam1 has no ONVIF: no clock to read
            video.close();
            video = VideoService.start(new VideoConfig("10s", null, List.of(new VideoConfig.Camera("cam4", "vault",
                    "S1", "004", "rtsp://127.0.0.1:9/x", onvif.address().toString(), "admin", "cam-Pass-2931", null,
                    0.5, 0.5, null))), new VideoService.Parts(scheduler, journal, dir, vault, intake,
                    new InMemorySupervisor(scheduler), new SimpleMetrics(), pushed::add, accounts::put, Set.of("S1"),
                    ledger));
            video.reportClocks(samples::put);
            // read over ONVIF (GetSystemDateAndTime) when the camera is added and every CLOCK_CHECK after
            Await.until(Duration.ofSeconds(10), () -> samples.containsKey("cam4"), () -> "cam4's clock read");
            assertThat(samples.get("cam4")).isNotNull();
            assertThat(samples.get("cam4").toSeconds()).isBetween(41L, 43L);
            // settable (GA 1383 时钟同步): SetSystemDateAndTime to the centre's time, then read back
            video.syncClock("cam4");
            assertThat(onvif.count("SetSystemDateAndTime")).isEqualTo(1);
            long until2 = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Math.abs(samples.get("cam4").toSeconds()) > 1 && System.nanoTime() < until2) {
                Thread.sleep(20);
            }
            assertThat(samples.get("cam4").toSeconds()).isBetween(-1L, 1L);
            assertThat(video.cameras().get(0).path("clockErrorSeconds").asDouble()).isBetween(-1.5, 1.5);
        }
    }
}
