package org.arc4j.media.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testsupport.LogCapture;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.media.rtcp.NtpTimestamp;
import org.arc4j.media.rtcp.ReportBlock;
import org.arc4j.media.rtcp.RtcpCodec;
import org.arc4j.media.rtcp.RtcpDecodeResult;
import org.arc4j.media.rtcp.RtcpPacket;
import org.arc4j.media.video.AccessUnit;
import org.junit.jupiter.api.Test;

/**
 * The client against {@link ScriptedRtspServer}, for what GStreamer cannot do: SHA-256 Digest, a 401 in the middle of
 * a session, RTP before the PLAY answer, a server that goes silent or restarts, and malformed answers. Timers run on
 * a {@link ManualScheduler}: the tests move time forward and wait only for network events.
 */
class RtspScriptedServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static io.netty.util.ResourceLeakDetector.Level leakLevel;

    @org.junit.jupiter.api.BeforeAll
    static void trackEveryBuffer() {
        leakLevel = io.netty.util.ResourceLeakDetector.getLevel();
        io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.PARANOID);
    }

    /** Frames, responses and datagrams are all released: Netty reports none collected unreleased. */
    @org.junit.jupiter.api.AfterAll
    static void noBufferLeaked() {
        System.gc();
        for (int i = 0; i < 100; i++) {   // leak reports are made when buffers are next allocated
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(64).release();
        }
        io.netty.util.ResourceLeakDetector.setLevel(leakLevel);
        assertThat(LogCapture.containing("LEAK")).isEmpty();
    }

    @Test
    void sha256DigestFromACredentialStoreIsAnsweredOnEveryRequest() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.digest = ScriptedRtspServer.digest(DigestAlgorithm.SHA_256);
        script.alsoOfferMd5 = true;   // MD5 offered first: the client takes the stronger (the server checks SHA-256)
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        CredentialKey key = CredentialKey.of(CredentialKind.ONVIF_LOGIN, "camera-7");
        store.put(key, new Credential("viewer", Secret.ofUtf8("s3cret"), java.util.Map.of()));
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).credentials(store, key).build()
                     .start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(3);
            assertSent(ev.units, 0, 3);
            // OPTIONS unauthorised, challenged, then every request answers with SHA-256
            assertThat(server.requests.get(0)).startsWith("OPTIONS ").doesNotContain("Digest");
            List<String> rest = server.requests.subList(1, server.requests.size());
            assertThat(rest).extracting(r -> r.split(" ")[0]).containsSubsequence("OPTIONS", "DESCRIBE", "SETUP",
                    "PLAY");
            assertThat(rest).allMatch(r -> r.contains("algorithm=SHA-256") && r.contains("username=\"viewer\""));
            assertThat(s.connections()).isEqualTo(1);
            assertThat(ev.errors).isEmpty();
        }
    }

    @Test
    void unknownHostIsAConnectError() throws Exception {
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (Events ev = new Events();
             RtspSession s = RtspClient.builder(URI.create("rtsp://no-such-host.invalid/live")).scheduler(clock)
                     .build().start(ev)) {
            RtspError e = ev.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e.kind()).isEqualTo(RtspErrorKind.CONNECT_FAILED);
            assertThat(e.detail()).isEqualTo("cannot resolve no-such-host.invalid");
            assertThat(s.state()).isEqualTo(RtspState.RECONNECTING);
        }
    }

    @Test
    void basicAuthenticationIsSentAfterABasicChallenge() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.basicUser = "viewer";
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             // a host name, resolved off the event loop
             RtspSession s = RtspClient.builder(URI.create("rtsp://localhost:" + server.port() + "/live"))
                     .scheduler(clock).credentials("viewer", Secret.ofUtf8("s3cret")).build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(3);
            assertThat(server.requests.get(server.requests.size() - 1))
                    .endsWith("Basic dmlld2VyOnMzY3JldA==");   // base64("viewer:s3cret")
            assertThat(s.transport()).isEqualTo(RtspTransport.TCP_INTERLEAVED);
        }
    }

    @Test
    void credentialsInTheUriAreUsedButNeverLoggedOrShown() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.basicUser = "viewer";
        script.password = "pa55word";
        script.echoedUserInfo = "viewer:pa55word";
        script.burst = 1;
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0); Events ev = new Events()) {
            URI withLogin = URI.create(server.uri().toString().replace("rtsp://", "rtsp://viewer:pa55word@"));
            RtspClient client = RtspClient.builder(withLogin).scheduler(clock).build();
            assertThat(client.uri()).isEqualTo(server.uri());
            try (RtspSession s = client.start(ev)) {
                ev.awaitState(RtspState.PLAYING);
                ev.awaitUnits(1);
                assertThat(s.uri()).isEqualTo(server.uri());
                assertThat(ev.description.control().toString()).isEqualTo(server.uri() + "/");
                assertThat(ev.description.media().get(0).control().getUserInfo()).isNull();
            }
            script.password = "changed";   // the next connection is refused: its error must not show the login
            try (RtspSession s = client.start(ev)) {
                RtspError e = ev.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(e.kind()).isEqualTo(RtspErrorKind.AUTHENTICATION_FAILED);
                assertThat(e.detail()).doesNotContain("pa55word").doesNotContain("viewer");
                assertThat(s.uri().getUserInfo()).isNull();
            }
        }
        assertThat(LogCapture.active()).isTrue();
        assertThat(LogCapture.containing("RTSP ")).isNotEmpty();
        assertThat(LogCapture.containing("pa55word")).isEmpty();
        assertThat(LogCapture.containing("viewer:")).isEmpty();
    }

    @Test
    void unauthorisedKeepAliveMidSessionIsAnsweredOnTheSameConnection() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.digest = ScriptedRtspServer.digest(DigestAlgorithm.MD5);
        script.sessionTimeout = 10;
        script.unauthorisedKeepAlives = 1;
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).readIdleTimeout(Duration.ofMinutes(5))
                     .credentials("viewer", Secret.ofUtf8("s3cret")).build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            clock.advance(Duration.ofSeconds(8));   // 80 % of timeout=10: GET_PARAMETER, 401, answered again
            awaitTrue(server, rs -> rs.stream().filter(r -> r.startsWith("GET_PARAMETER")).count() == 2);
            List<String> keepAlives = server.requests.stream().filter(r -> r.startsWith("GET_PARAMETER")).toList();
            String nonce1 = nonce(keepAlives.get(0));
            String nonce2 = nonce(keepAlives.get(1));
            assertThat(nonce2).isNotEqualTo(nonce1);   // the second answers the new challenge
            assertThat(s.state()).isEqualTo(RtspState.PLAYING);
            assertThat(s.connections()).isEqualTo(1);
            assertThat(ev.errors).isEmpty();
        }
    }

    @Test
    void withoutGetParameterKeepAlivesAreOptionsAndServerRequestsAreAnswered() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.noGetParameter = true;
        script.serverOptions = true;
        script.sessionTimeout = 30;
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).readIdleTimeout(Duration.ofMinutes(5))
                     .build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            awaitTrue(server, rs -> rs.contains("ANSWER 200 CSeq 77"));
            clock.advance(Duration.ofSeconds(23));
            assertThat(server.requests.stream().filter(r -> r.startsWith("OPTIONS")).count()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1));   // 80 % of 30 s
            awaitTrue(server, rs -> rs.stream().filter(r -> r.startsWith("OPTIONS")).count() == 2);
            assertThat(server.requests).noneMatch(r -> r.startsWith("GET_PARAMETER"));
            assertThat(s.state()).isEqualTo(RtspState.PLAYING);
        }
    }

    @Test
    void senderReportsReachTheListenerAndReceiverReportsGoBackEveryFiveSeconds() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.senderReportAt = Instant.parse("2026-01-01T08:00:00.5Z");
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        List<RtcpPacket.SenderReport> srs = new CopyOnWriteArrayList<>();
        Events ev = new Events() {
            @Override
            public void senderReport(MediaDescription track, RtcpPacket.SenderReport sr) {
                srs.add(sr);
                super.accessUnit(track, null);   // counted with the units, so the test can wait for it
            }
        };
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).readIdleTimeout(Duration.ofMinutes(5))
                     .build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(4);   // 3 pictures and the SR
            assertThat(srs).singleElement().satisfies(sr -> assertThat(sr.ssrc()).isEqualTo(0x1234L));
            clock.advance(Duration.ofMillis(4999));
            assertThat(server.clientFrames).isEmpty();
            clock.advance(Duration.ofMillis(1));
            awaitTrue(server, rs -> rs.stream().anyMatch(r -> r.startsWith("FRAME")));
            byte[] rtcp = server.clientFrames.get(0);
            RtcpDecodeResult r = RtcpCodec.INSTANCE.decode(rtcp, 0, rtcp.length);
            assertThat(r).isInstanceOf(RtcpDecodeResult.Valid.class);
            List<RtcpPacket> packets = ((RtcpDecodeResult.Valid) r).packets();
            RtcpPacket.ReceiverReport rr = (RtcpPacket.ReceiverReport) packets.get(0);
            assertThat(packets.get(1)).isInstanceOf(RtcpPacket.SourceDescription.class);
            ReportBlock block = rr.blocks().get(0);
            assertThat(block.ssrc()).isEqualTo(0x1234L);
            assertThat(block.extendedHighestSequence()).isEqualTo(1006);   // 7 packets from 1000
            assertThat(block.cumulativeLost()).isZero();
            assertThat(block.lastSenderReport()).isEqualTo(NtpTimestamp.of(script.senderReportAt).middle32());
            assertThat(block.delaySinceLastSenderReport()).isEqualTo(5 * 65536L);   // 5 s of virtual time
            assertThat(s.state()).isEqualTo(RtspState.PLAYING);
        }
    }

    @Test
    void describeBodyShorterThanItsContentLengthTimesOutAndIsRetried() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.describeShortBy = 20;
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).responseTimeout(Duration.ofSeconds(5))
                     .build().start(ev)) {
            awaitTrue(server, rs -> rs.stream().anyMatch(r -> r.startsWith("DESCRIBE")));
            clock.advance(Duration.ofSeconds(5));
            RtspError e = ev.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e.kind()).isEqualTo(RtspErrorKind.RESPONSE_TIMEOUT);
            assertThat(e.detail()).startsWith("DESCRIBE");
            script.describeShortBy = 0;   // the server mends its ways: the retry after the back-off plays
            clock.advance(Duration.ofSeconds(1));
            ev.awaitState(RtspState.PLAYING);
            assertThat(s.connections()).isEqualTo(2);
        }
    }

    @Test
    void aGapOnTcpIsPassedAtOnceNotHeldForReordering() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.dropOneAfterBurst = true;
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).build().start(ev)) {
            ev.awaitUnits(5);   // no timer moved: pictures 4 and 5 come without waiting behind the gap
            // picture 4 follows the loss, so the depacketiser cannot vouch it is whole; its bytes are all there
            AccessUnit after = ev.units.get(3);
            assertThat(after.timestamp()).isEqualTo(3600L * 4);
            assertThat(after.nalUnit(0)).isEqualTo(ScriptedRtspServer.accessUnit(4).get(0));
            assertSent(ev.units.subList(4, 5), 5, 1);
            assertThat(s.transport()).isEqualTo(RtspTransport.TCP_INTERLEAVED);
        }
    }

    @Test
    void rtpBeforeThePlayAnswerIsDelivered() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.rtpBeforePlayAnswer = true;
        script.burst = 2;
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).build().start(ev)) {
            ev.awaitUnits(2);
            ev.awaitState(RtspState.PLAYING);
            assertSent(ev.units, 0, 2);   // unit 0 went out before "200 OK" to PLAY
            assertThat(ev.units.get(0).isKey()).isTrue();
            assertThat(s.connections()).isEqualTo(1);
        }
    }

    @Test
    void silentServerIsDroppedByTheWatchdogAndPlayedAgain() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        script.burst = 2;   // then nothing, on a connection that stays open: the classic hang
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        try (ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
             Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).readIdleTimeout(Duration.ofSeconds(4))
                     .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(2);
            clock.advance(Duration.ofSeconds(3));
            assertThat(s.state()).isEqualTo(RtspState.PLAYING);   // not yet idle long enough
            clock.advance(Duration.ofSeconds(2));
            ev.awaitState(RtspState.RECONNECTING);
            assertThat(ev.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS).kind()).isEqualTo(RtspErrorKind.READ_IDLE);
            clock.advance(Duration.ofSeconds(1));   // the first back-off
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(4);
            assertThat(s.connections()).isEqualTo(2);
            assertSent(ev.units.subList(2, 4), 0, 2);   // the new connection's stream from its key picture
        }
    }

    @Test
    void serverRestartIsSurvivedWithGrowingBackoff() throws Exception {
        ScriptedRtspServer.Script script = new ScriptedRtspServer.Script();
        ManualScheduler clock = new ManualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
        ScriptedRtspServer server = new ScriptedRtspServer(script, 0);
        int port = server.port();
        try (Events ev = new Events();
             RtspSession s = RtspClient.builder(server.uri()).scheduler(clock).readIdleTimeout(Duration.ofMinutes(5))
                     .backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)).build().start(ev)) {
            ev.awaitState(RtspState.PLAYING);
            server.close();
            ev.awaitState(RtspState.RECONNECTING);
            assertThat(ev.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS).kind())
                    .isEqualTo(RtspErrorKind.CONNECTION_LOST);
            clock.advance(Duration.ofSeconds(1));   // first retry: refused, the server is down
            assertThat(ev.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS).kind())
                    .isEqualTo(RtspErrorKind.CONNECT_FAILED);
            ev.awaitState(RtspState.RECONNECTING);
            server = new ScriptedRtspServer(script, port);
            clock.advance(Duration.ofMillis(1999));   // the second back-off is 2 s: not yet
            assertThat(s.connections()).isEqualTo(2);
            clock.advance(Duration.ofMillis(1));
            ev.awaitState(RtspState.PLAYING);
            ev.awaitUnits(3);
            assertThat(s.connections()).isEqualTo(3);
        } finally {
            server.close();
        }
    }

    @Test
    void badInputGetsTypedErrorsWhileAnotherSessionOnTheSameLoopPlaysOn() throws Exception {
        ScriptedRtspServer.Script good = new ScriptedRtspServer.Script();
        good.streaming = true;
        ScriptedRtspServer.Script truncated = new ScriptedRtspServer.Script();
        truncated.sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cut\r\nt=0 0\r\nm=vid";
        ScriptedRtspServer.Script oversized = new ScriptedRtspServer.Script();
        oversized.oversizeHeader = 20_000;
        ScriptedRtspServer.Script overrun = new ScriptedRtspServer.Script();
        overrun.frameOverrun = 37;
        // one event-loop thread for all four sessions: a bad peer must not hold it
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (SystemScheduler clock = new SystemScheduler();
             ScriptedRtspServer goodServer = new ScriptedRtspServer(good, 0);
             ScriptedRtspServer truncatedServer = new ScriptedRtspServer(truncated, 0);
             ScriptedRtspServer oversizedServer = new ScriptedRtspServer(oversized, 0);
             ScriptedRtspServer overrunServer = new ScriptedRtspServer(overrun, 0);
             Events goodEv = new Events(); Events truncEv = new Events(); Events overEv = new Events();
             Events overrunEv = new Events()) {
            List<RtspSession> sessions = new ArrayList<>();
            sessions.add(client(goodServer, clock, group).start(goodEv));
            goodEv.awaitState(RtspState.PLAYING);
            sessions.add(client(truncatedServer, clock, group).start(truncEv));
            sessions.add(client(oversizedServer, clock, group).start(overEv));
            sessions.add(client(overrunServer, clock, group).start(overrunEv));

            RtspError sdp = truncEv.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(sdp.kind()).isEqualTo(RtspErrorKind.BAD_SDP);
            assertThat(sdp.detail()).startsWith("BAD_MEDIA");
            assertThat(overEv.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS).kind())
                    .isEqualTo(RtspErrorKind.HEADER_TOO_LONG);
            assertThat(overrunEv.errors.poll(WAIT.toSeconds(), TimeUnit.SECONDS).kind())
                    .isEqualTo(RtspErrorKind.FRAMING);
            overrunEv.awaitUnits(6);   // the burst after the overrun arrives whole: the stream resynchronised
            assertSent(overrunEv.units.subList(3, 6), 3, 3);
            assertThat(sessions.get(3).state()).isEqualTo(RtspState.PLAYING);

            int before = goodEv.units.size();
            goodEv.awaitUnits(before + 10);   // still flowing after the others failed
            assertThat(sessions.get(0).state()).isEqualTo(RtspState.PLAYING);
            assertThat(goodEv.errors).isEmpty();
            assertThat(sessions.get(1).state()).isEqualTo(RtspState.RECONNECTING);
            sessions.forEach(RtspSession::close);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private static RtspClient client(ScriptedRtspServer server, SystemScheduler clock, EventLoopGroup group) {
        return RtspClient.builder(server.uri()).scheduler(clock).eventLoopGroup(group)
                .backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)).limits(4096, 65_535, 1 << 20).build();
    }

    private static String nonce(String request) {
        int i = request.indexOf("nonce=\"");
        return request.substring(i + 7, request.indexOf('"', i + 7));
    }

    /** The units equal the server's units {@code first .. first+count-1}, NAL unit by NAL unit. */
    private static void assertSent(List<AccessUnit> units, int first, int count) {
        assertThat(units).hasSizeGreaterThanOrEqualTo(count);
        for (int i = 0; i < count; i++) {
            List<byte[]> sent = ScriptedRtspServer.accessUnit(first + i);
            AccessUnit au = units.get(i);
            assertThat(au.timestamp()).isEqualTo(3600L * (first + i));
            assertThat(au.isIntact()).isTrue();
            assertThat(au.nalUnitCount()).isEqualTo(sent.size());
            for (int n = 0; n < sent.size(); n++) {
                assertThat(au.nalUnit(n)).isEqualTo(sent.get(n));
            }
        }
    }

    private static void awaitTrue(ScriptedRtspServer server, java.util.function.Predicate<List<String>> condition)
            throws InterruptedException {
        if (!server.awaitRequests(condition, WAIT)) {
            fail("the server did not see that within " + WAIT + ": " + server.requests);
        }
    }

    /** What a session reported, for waiting on from the test thread. */
    static class Events implements RtspListener, AutoCloseable {
        final List<AccessUnit> units = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<RtspError> errors = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<RtspState> states = new LinkedBlockingQueue<>();
        private final Semaphore unitCount = new Semaphore(0);

        @Override
        public void accessUnit(MediaDescription track, AccessUnit au) {
            if (au != null) {
                units.add(au);
            }
            unitCount.release();
        }

        volatile SessionDescription description;

        @Override
        public void state(RtspState state, SessionDescription description) {
            this.description = description;
            states.add(state);
        }

        @Override
        public void error(RtspError error) {
            errors.add(error);
        }

        void awaitState(RtspState wanted) throws InterruptedException {
            while (true) {
                RtspState s = states.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (s == null) {
                    fail("no " + wanted + " within " + WAIT + "; errors " + errors);
                }
                if (s == wanted) {
                    return;
                }
            }
        }

        private int counted;

        /** Waits until {@code total} deliveries have been counted since the session started. */
        void awaitUnits(int total) throws InterruptedException {
            while (counted < total) {
                if (!unitCount.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    fail(units.size() + " access units, wanted " + total + "; errors " + errors);
                }
                counted++;
            }
        }

        @Override
        public void close() {
        }
    }
}
