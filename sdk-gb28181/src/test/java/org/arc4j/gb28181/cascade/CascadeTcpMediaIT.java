package org.arc4j.gb28181.cascade;

import static org.arc4j.gb28181.cascade.CascadeTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.store.Journal;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.RealPeers;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.media.video.AnnexB;
import org.arc4j.media.video.VideoCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live video and its sound through the cascade over RTP over TCP, both ways of opening the connection: the SDK's
 * {@link GbPlatform} as the upper INVITEs with {@code a=setup:passive} (it listens, the cascade connects) and with
 * {@code a=setup:active} (the cascade listens and answers its port). The channel's source plays a clip ffmpeg encoded
 * (H.264 with an access unit delimiter per picture, and a 1 kHz tone as G.711 A-law) in a loop; the upper's media
 * session demuxes the re-muxed program stream, and every picture and audio frame it gets must be, byte for byte,
 * one ffmpeg wrote, pictures in the clip's order from a key picture on.
 */
class CascadeTcpMediaIT {
    static final String UPPER = "11000000002000000001";
    static final String LOCAL = "34020000002000000001";
    static final String PASSWORD = "cascade-pw";

    static final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T02:00:00Z"));
    static final InMemoryAlarmIntake intake = new InMemoryAlarmIntake(scheduler.clock());
    static final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    static final List<byte[]> pictures = new ArrayList<>();
    static final List<byte[]> sound = new ArrayList<>();
    static final AtomicInteger opened = new AtomicInteger();
    static final AtomicInteger closed = new AtomicInteger();
    @TempDir
    static Path dir;
    static Journal journal;
    static GbPlatform upper;
    static GbCascade cascade;

    @BeforeAll
    static void start() throws Exception {
        RealPeers.requirePrograms("ffmpeg", "ffmpeg");
        Path h264 = dir.resolve("clip.h264");
        Path alaw = dir.resolve("clip.alaw");
        run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "1",
                "-c:v", "libx264", "-g", "10", "-bf", "0", "-x264-params", "aud=1", "-pix_fmt", "yuv420p",
                "-f", "h264", h264.toString());
        run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=8000",
                "-t", "1", "-ac", "1", "-c:a", "pcm_alaw", "-f", "alaw", alaw.toString());
        List<byte[]> unit = null;
        for (byte[] nal : AnnexB.INSTANCE.split(Files.readAllBytes(h264), 0, (int) Files.size(h264))) {
            if ((nal[0] & 0x1F) == 9) { // access unit delimiter: a new picture
                if (unit != null && !unit.isEmpty()) {
                    pictures.add(new AccessUnit(VideoCodec.H264, 0, unit, true).toAnnexB());
                }
                unit = new ArrayList<>();
            } else if (unit != null) {
                unit.add(nal);
            }
        }
        if (unit != null && !unit.isEmpty()) {
            pictures.add(new AccessUnit(VideoCodec.H264, 0, unit, true).toAnnexB());
        }
        byte[] tone = Files.readAllBytes(alaw);
        for (int at = 0; at + 160 <= tone.length; at += 160) {
            sound.add(Arrays.copyOfRange(tone, at, at + 160));
        }
        assertThat(pictures).hasSize(25);
        assertThat(sound).hasSize(50);

        vault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, LOCAL),
                new Credential(LOCAL, Secret.ofUtf8(PASSWORD), Map.of()));
        upper = GbPlatform.start(GbPlatformConfig.builder(UPPER).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .queryCatalogOnRegister(true).build(), scheduler, intake, new InMemorySupervisor(scheduler), vault,
                new SimpleMetrics());
        CascadeSource source = new CascadeSource() {
            @Override
            public List<ExportedItem> catalog() {
                return List.of(ExportedItem.camera("cam-1", "前门摄像机", null, true));
            }

            @Override
            public CascadeMediaSource media() {
                return (key, sink) -> CompletableFuture.completedFuture(loop(sink));
            }
        };
        journal = Journal.builder(dir.resolve("journal")).clock(scheduler.clock()).open();
        cascade = GbCascade.start(GbCascadeConfig.builder(LOCAL).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .upper(UpperPlatform.of(UPPER, "127.0.0.1", upper.stack().udpAddress().getPort(),
                        Secret.ofUtf8(PASSWORD))).build(), scheduler, journal, source, new CascadeListener() { });
        await("the catalog at the upper", () -> upper.registry().get(LOCAL)
                .map(d -> d.channels().size() == 1).orElse(false));
    }

    /** The clip over and over at five times its speed, as a camera's stream that runs until the relay closes it. */
    private static AutoCloseable loop(CascadeMediaSource.Sink sink) {
        opened.incrementAndGet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread t = new Thread(() -> {
            long pts = 0;
            try {
                while (!stop.get()) {
                    for (int i = 0; i < pictures.size() && !stop.get(); i++) {
                        byte[] p = pictures.get(i);
                        sink.video(PsStreamType.H264, new AccessUnit(VideoCodec.H264, pts,
                                AnnexB.INSTANCE.split(p, 0, p.length), true));
                        sink.audio(PsStreamType.G711A, pts, sound.get(2 * i));
                        sink.audio(PsStreamType.G711A, pts + 1800, sound.get(2 * i + 1));
                        pts += 3600;
                        Thread.sleep(8);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "clip-source");
        t.setDaemon(true);
        t.start();
        return () -> {
            stop.set(true);
            closed.incrementAndGet();
        };
    }

    @AfterAll
    static void stop() throws Exception {
        if (cascade != null) {
            cascade.close();
        }
        if (upper != null) {
            upper.close();
        }
        if (journal != null) {
            journal.close();
        }
        intake.close();
    }

    @ParameterizedTest
    @EnumSource(value = MediaTransport.class, names = {"TCP_PASSIVE", "TCP_ACTIVE"})
    void theUpperGetsTheChannelsPicturesAndSoundOverTcp(MediaTransport transport) throws Exception {
        String cam = cascade.exportedId(UPPER, "cam-1").orElseThrow();
        int closedBefore = closed.get();
        Recorder above = new Recorder();
        MediaSession s = upper.invite(MediaRequest.live(LOCAL, cam).withTransport(transport), above)
                .get(20, TimeUnit.SECONDS);
        await("60 pictures and 100 audio frames above", () -> above.frames.size() >= 60 && above.audio.size() >= 100);
        assertThat(s.receivedSsrc()).isEqualTo(Long.parseLong(s.offeredSsrc()));
        assertThat(above.types).containsExactlyInAnyOrder(PsStreamType.H264, PsStreamType.G711A);
        // the pictures are the clip's, in its order from a key picture on
        assertThat(above.frames.get(0).isKey()).isTrue();
        int at = indexOf(above.frames.get(0).toAnnexB());
        assertThat(at).isNotNegative();
        for (AccessUnit u : above.frames.subList(0, 60)) {
            assertThat(u.toAnnexB()).as("picture %d of the clip", at).isEqualTo(pictures.get(at));
            at = (at + 1) % pictures.size();
        }
        // the sound is the tone's frames, each as ffmpeg wrote it
        for (byte[] a : above.audio.subList(0, 100)) {
            assertThat(sound.stream().anyMatch(f -> Arrays.equals(f, a))).as("an audio frame of the tone").isTrue();
        }
        s.close();
        await("the source closed by the upper's BYE", () -> closed.get() == closedBefore + 1);
        assertThat(above.closed).containsExactly("closed");
        assertThat(upper.mediaSessions()).isZero();
    }

    private static int indexOf(byte[] picture) {
        for (int i = 0; i < pictures.size(); i++) {
            if (Arrays.equals(pictures.get(i), picture)) {
                return i;
            }
        }
        return -1;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** What the upper's listener heard. */
    static final class Recorder implements MediaListener {
        final List<AccessUnit> frames = new CopyOnWriteArrayList<>();
        final List<byte[]> audio = new CopyOnWriteArrayList<>();
        final List<PsStreamType> types = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();

        @Override
        public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
            frames.add(unit);
            if (!types.contains(type)) {
                types.add(type);
            }
        }

        @Override
        public void onAudio(MediaSession session, PsStreamType type, long pts, byte[] data) {
            audio.add(data);
            if (!types.contains(type)) {
                types.add(type);
            }
        }

        @Override
        public void onClosed(MediaSession session, MediaFailure failure) {
            closed.add(failure == null ? "closed" : failure.kind().name());
        }
    }
}
