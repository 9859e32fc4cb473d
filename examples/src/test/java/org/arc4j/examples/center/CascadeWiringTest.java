package org.arc4j.examples.center;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.gb28181.media.MediaFailure;
import org.arc4j.gb28181.media.MediaFailureException;
import org.arc4j.gb28181.media.MediaListener;
import org.arc4j.gb28181.media.MediaRequest;
import org.arc4j.gb28181.media.MediaSession;
import org.arc4j.gb28181.media.MediaTransport;
import org.arc4j.gb28181.platform.GbChannel;
import org.arc4j.gb28181.platform.GbPlatform;
import org.arc4j.gb28181.platform.GbSubscription;
import org.arc4j.media.ps.PsStreamType;
import org.arc4j.media.video.AccessUnit;
import org.arc4j.gb28181.platform.GbPlatformConfig;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference centre with a {@code gb28181.cascade} section registered as a lower platform under the SDK's
 * {@link GbPlatform} playing the police platform: a DC-09 fire alarm is forwarded to {@code police} by the sample
 * rule, goes up as an Alarm Notify, arrives in the police platform's intake, and its 200 OK is recorded as the
 * forward's delivery in the case.
 */
class CascadeWiringTest {
    static final String KEY = "3A7F19C2E84B6D05F1A2C9E7B3D48E61";
    static final String ADMIN_PASSWORD = "Qz7!mVr2#Lp9-xWt";
    static final String CENTRE = "34020000002000000002";
    static final String POLICE = "11000000002000000001";
    static final String PASSWORD = "Up-Cascade-2026";
    /** The IDs the configuration gives zone 001 and site S0001 toward the upper platforms. */
    static final String ZONE_ID = "34020000001340000901";
    static final String SITE_ID = "34020000002160000902";
    /** The ID the configuration gives a camera the API adds later. */
    static final String CAM_ID = "34020000001310000903";

    final SystemScheduler scheduler = new SystemScheduler();
    final InMemoryAlarmIntake policeIntake = new InMemoryAlarmIntake(scheduler.clock());
    final InMemoryCredentialStore policeVault = new InMemoryCredentialStore();
    final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    GbPlatform police;
    ReferenceCenter centre;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (centre != null) {
            centre.close();
        }
        if (police != null) {
            police.close();
        }
        policeIntake.close();
        scheduler.close();
    }

    @Test
    void aFireForwardedToPoliceGoesUpAndItsDeliveryIsRecorded() throws Exception {
        policeVault.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, CENTRE),
                new Credential(CENTRE, Secret.ofUtf8(PASSWORD), Map.of()));
        police = GbPlatform.start(GbPlatformConfig.builder(POLICE).bindHost("127.0.0.1").udpPort(0).tcpPort(-1)
                .build(), scheduler, policeIntake, new InMemorySupervisor(scheduler), policeVault, new SimpleMetrics());

        String yaml = Files.readString(Path.of("config/center.yaml"), StandardCharsets.UTF_8).replace("gb28181:\n",
                "gb28181:\n  cascade:\n    id: \"" + CENTRE + "\"\n    port: 0\n    uppers:\n      - { id: \"" + POLICE
                        + "\", host: 127.0.0.1, port: " + police.stack().udpAddress().getPort() + ", password: \""
                        + PASSWORD + "\", recipient: police }\n    ids:\n      \"zone:S0001/001\": \"" + ZONE_ID
                        + "\"\n      \"site:S0001\": \"" + SITE_ID + "\"\n      \"cam:lobby\": \"" + CAM_ID + "\"\n");
        Files.createDirectories(dir.resolve("plans"));
        Files.copy(Path.of("config/plans/branch-floor1.svg"), dir.resolve("plans/branch-floor1.svg"));
        Files.writeString(dir.resolve("center.yaml"), yaml, StandardCharsets.UTF_8);
        CenterOptions o = CenterOptions.parse("--data", dir.resolve("data").toString(), "--http", "0",
                "--dc09-tcp", "0", "--dc09-udp", "0", "--sip", "0", "--pstn-sip", "0", "--bind", "127.0.0.1",
                "--config",
                dir.resolve("center.yaml").toString());
        centre = ReferenceCenter.start(o, Map.of("ARC4J_ADMIN_PASSWORD", ADMIN_PASSWORD),
                new PrintStream(terminal, true, StandardCharsets.UTF_8));
        CenterClient admin = new CenterClient("http://127.0.0.1:" + centre.httpAddress().getPort());
        assertThat(admin.login("admin", ADMIN_PASSWORD).status()).isEqualTo(200);

        InetSocketAddress to = new InetSocketAddress("127.0.0.1", centre.dc09TcpPort());
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(to)).account("1234")
                .key(Dc09Key.ofHex(KEY)).attemptsPerPath(1).build()) {
            assertThat(tx.sendSia("#1234|NFA001").toCompletableFuture().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(Dc09SendResult.Acknowledged.class);
        }

        JsonNode cases = admin.await("/api/cases", b -> b.path("cases").size() == 1);
        String id = cases.path("cases").get(0).path("id").asText();
        JsonNode detail = admin.await("/api/cases/" + id,
                b -> !b.path("forwards").path(0).path("deliveredAt").isMissingNode()
                        && !b.path("forwards").path(0).path("deliveredAt").isNull());
        JsonNode fwd = detail.path("forwards").get(0);
        assertThat(fwd.path("recipient").asText()).isEqualTo("police");
        assertThat(policeIntake.events()).hasSize(1);
        AlarmEvent up = policeIntake.events().get(0);
        assertThat(up.account()).isEqualTo(CENTRE);
        // the zone 001 of site S0001, exported as an alarm input with the ID the configuration gives it, under the
        // site's configured ID in the catalog the police platform queried
        assertThat(up.extended().get("channel")).isEqualTo(ZONE_ID);
        Await.until(() -> police.registry().get(CENTRE).map(d -> d.channels().containsKey(ZONE_ID)
                && d.channels().containsKey(SITE_ID)).orElse(false), "the catalog at the police platform", 20);
        assertThat(police.registry().get(CENTRE).orElseThrow().registered()).isTrue();

        // a camera added through the API is exported at once: the police platform's catalog subscription gets it
        // (ADD) under its site with its configured ID, then its new name (UPDATE), then its removal (DEL)
        police.subscribe(CENTRE, GbSubscription.Kind.CATALOG, Duration.ofHours(1)).get(20, TimeUnit.SECONDS);
        assertThat(admin.call("PUT", "/api/video/cameras/lobby", CenterClient.JSON.createObjectNode()
                .put("site", "S0001").put("name", "大堂").put("rtsp", "rtsp://127.0.0.1:9/lobby")).status())
                .isEqualTo(200);
        Await.until(() -> channel(CAM_ID).map(ch -> ch.name().equals("大堂")).orElse(false),
                "the API's camera at the police platform", 20);
        assertThat(channel(CAM_ID).orElseThrow().parentId()).isEqualTo(SITE_ID);
        assertThat(admin.call("PUT", "/api/video/cameras/lobby", CenterClient.JSON.createObjectNode()
                .put("site", "S0001").put("name", "大堂东").put("rtsp", "rtsp://127.0.0.1:9/lobby")).status())
                .isEqualTo(200);
        Await.until(() -> channel(CAM_ID).map(ch -> ch.name().equals("大堂东")).orElse(false),
                "the camera's new name at the police platform", 20);
        assertThat(admin.call("DELETE", "/api/video/cameras/lobby", null).status()).isEqualTo(200);
        Await.until(() -> channel(CAM_ID).isEmpty(), "the camera's removal at the police platform", 20);

        // live video from above: the exported camera is relayed from the centre's own GB/T 28181 platform, so an
        // INVITE for it reaches that platform, which has no such device online (480); a zone is no camera (488)
        assertThat(rejection(MediaRequest.live(CENTRE, "34020000001320000001").withTransport(MediaTransport.UDP)))
                .isEqualTo(480);
        assertThat(rejection(MediaRequest.live(CENTRE, up.extended().get("channel"))
                .withTransport(MediaTransport.UDP))).isEqualTo(488);
    }

    private java.util.Optional<GbChannel> channel(String id) {
        return police.registry().get(CENTRE).map(d -> d.channels().get(id));
    }

    /** The police platform asks the centre for video; the SIP status of the refusal. */
    private int rejection(MediaRequest r) throws Exception {
        try {
            police.invite(r, new MediaListener() {
                @Override
                public void onVideo(MediaSession session, PsStreamType type, AccessUnit unit) {
                }

                @Override
                public void onClosed(MediaSession session, MediaFailure failure) {
                }
            }).toCompletableFuture().get(20, TimeUnit.SECONDS).close();
            throw new AssertionError("the centre accepted " + r);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(MediaFailureException.class);
            MediaFailure f = ((MediaFailureException) e.getCause()).failure();
            assertThat(f.kind()).isEqualTo(MediaFailure.Kind.REJECTED);
            return f.sipStatus();
        }
    }
}
