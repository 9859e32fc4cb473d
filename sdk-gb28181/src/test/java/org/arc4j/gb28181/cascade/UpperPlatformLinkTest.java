package org.arc4j.gb28181.cascade;

import static org.arc4j.gb28181.cascade.CascadeTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.cascade.internal.AlarmOutbox;
import org.arc4j.gb28181.manscdp.ManscdpAlarm;
import org.arc4j.gb28181.manscdp.ManscdpDecoder;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.ManscdpResult;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A link to an upper platform played by an in-process SIP stack (the SDK's digest authenticator checks the
 * answers), on virtual time: registration with digest, refresh before expiry, back-off, keepalives and their loss,
 * alarms retried until 200 and journalled.
 */
class UpperPlatformLinkTest {
    static final String LOCAL = "34020000002000000001";
    static final String UPPER = "11000000002000000001";
    static final String PASSWORD = "upper-pw";
    static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");
    static final Charset GB2312 = Charset.forName("GB2312");

    final ManualScheduler scheduler = new ManualScheduler(T0);
    final InMemoryRecordStore store = new InMemoryRecordStore();
    final DigestAuthenticator auth = new DigestAuthenticator(scheduler.clock(), "1100000000", DigestAlgorithm.MD5,
            true, Duration.ofHours(2), 16);
    final List<SipRequest> registers = new CopyOnWriteArrayList<>();
    final List<ManscdpDocument> messages = new CopyOnWriteArrayList<>();
    final List<String> transitions = new CopyOnWriteArrayList<>();
    final List<String> deliveries = new CopyOnWriteArrayList<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();
    ExecutorService exec;
    SipStack upper;
    GbCascade cascade;
    volatile int grantSeconds = 3600;
    volatile int registerStatus = 0; // 0: digest, else this status
    volatile boolean dropMessages;
    volatile int alarmStatus = 200;
    volatile String password = PASSWORD;

    @BeforeEach
    void upper() throws Exception {
        upper = SipStack.builder().bindHost("127.0.0.1").udpPort(0).tcpPort(-1).scheduler(scheduler)
                .handler(this::upperAnswers).start();
        closeables.add(upper);
    }

    @AfterEach
    void close() throws Exception {
        if (cascade != null) {
            cascade.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private void upperAnswers(ServerTransaction tx) {
        SipRequest r = tx.request();
        if (r.method().equals(SipRequest.REGISTER)) {
            registers.add(r);
            if (registerStatus != 0) {
                tx.respond(SipResponse.replyTo(r, registerStatus, "Refused", "u"));
                return;
            }
            String a = r.header("Authorization");
            DigestCredentials c = a == null ? null : DigestCredentials.parse(a);
            if (c == null || auth.verify(r.method(), c, PASSWORD.getBytes(StandardCharsets.UTF_8))
                    != DigestAuthenticator.Verdict.OK) {
                tx.respond(SipResponse.of(401, "Unauthorized", SipResponse.replyHeaders(r, 401, "Unauthorized", "u")
                        .add("WWW-Authenticate", auth.challenge(false).toHeaderValue()).build(), null));
                return;
            }
            tx.respond(SipResponse.of(200, "OK", SipResponse.replyHeaders(r, 200, "OK", "u")
                    .add("Expires", Integer.toString(grantSeconds)).build(), null));
            return;
        }
        if (r.method().equals(SipRequest.MESSAGE)) {
            if (dropMessages) {
                return;
            }
            ManscdpDocument d = ((ManscdpResult.Decoded) ManscdpDecoder.INSTANCE.decode(r.body())).document();
            messages.add(d);
            int status = d.is("Notify", "Alarm") ? alarmStatus : 200;
            tx.respond(SipResponse.replyTo(r, status, status == 200 ? "OK" : "Busy", "u"));
        }
    }

    GbCascade start(GbCascadeConfig.Builder b, UpperPlatform u) throws Exception {
        exec = Executors.newSingleThreadExecutor();
        cascade = GbCascade.start(b.bindHost("127.0.0.1").udpPort(0).tcpPort(-1).upper(u).build(), scheduler, store,
                List::of, new CascadeListener() {
                    @Override
                    public void linkStateChanged(UpperPlatformLink link, LinkState from, LinkState to, String why) {
                        transitions.add(to + " " + why);
                    }

                    @Override
                    public void alarmDelivered(UpperPlatform up, CascadeAlarm alarm, Instant at, int attempts) {
                        deliveries.add(alarm.reference() + " at " + at + " after " + attempts);
                    }

                    @Override
                    public void alarmNotDelivered(UpperPlatform up, CascadeAlarm alarm, int attempts, String why) {
                        refusals.add(alarm.reference() + " " + attempts + " " + why);
                    }
                }, exec);
        return cascade;
    }

    UpperPlatform upperPlatform() {
        return UpperPlatform.of(UPPER, "127.0.0.1", upper.udpAddress().getPort(), Secret.ofUtf8(password));
    }


    /** Waits until the listener heard the link enter a state. */
    void awaitState(String what, LinkState state) throws Exception {
        await(what, () -> !transitions.isEmpty() && transitions.get(transitions.size() - 1).startsWith(state + " "));
        drain(); // the task that changed the state has also set its timers
    }

    /** Lets the cascade's thread finish what it was handed. */
    void drain() throws Exception {
        CascadeTesting.drain(exec);
    }

    /** Advances virtual time a second at a time, draining the cascade's thread after each. */
    void advance(Duration d) throws Exception {
        for (long s = 0; s < d.toSeconds(); s++) {
            scheduler.advance(Duration.ofSeconds(1));
            drain();
        }
    }

    UpperPlatformLink link() {
        return cascade.link(UPPER).orElseThrow();
    }

    long keepalives() {
        return messages.stream().filter(m -> m.is("Notify", "Keepalive")).count();
    }

    @Test
    void registersWithDigestThenKeepsAliveEveryInterval() throws Exception {
        start(GbCascadeConfig.builder(LOCAL), upperPlatform());
        awaitState("registered", LinkState.REGISTERED);
        assertThat(registers).hasSize(2);
        assertThat(registers.get(0).header("Authorization")).isNull();
        DigestCredentials c = DigestCredentials.parse(registers.get(1).header("Authorization"));
        assertThat(c.username()).isEqualTo(LOCAL);
        assertThat(c.uri()).isEqualTo("sip:" + UPPER + "@1100000000");
        assertThat(registers.get(1).header("From")).startsWith("<sip:" + LOCAL + "@3402000000>");
        assertThat(registers.get(1).header("Expires")).isEqualTo("3600");
        assertThat(registers.get(0).callId()).isEqualTo(registers.get(1).callId());
        assertThat(link().registeredUntil()).isEqualTo(T0.plusSeconds(3600));
        assertThat(transitions).containsExactly("REGISTERED 200 OK");

        await("first keepalive", () -> keepalives() == 1);
        assertThat(messages.get(0).deviceId()).isEqualTo(LOCAL);
        assertThat(messages.get(0).text("Status")).isEqualTo("OK");
        await("keepalive answered", () -> link().lastKeepaliveAnswered() != null);
        drain();
        advance(Duration.ofSeconds(59));
        assertThat(keepalives()).isEqualTo(1);
        // each keepalive is awaited until answered, so that no UDP retransmission outlives the upper's transaction
        advance(Duration.ofSeconds(1));
        await("second keepalive answered", () -> T0.plusSeconds(60).equals(link().lastKeepaliveAnswered()));
        drain();
        advance(Duration.ofSeconds(60));
        await("third keepalive answered", () -> T0.plusSeconds(120).equals(link().lastKeepaliveAnswered()));
        assertThat(keepalives()).isEqualTo(3);
        assertThat(messages).extracting(ManscdpDocument::sn).doesNotHaveDuplicates();
    }

    @Test
    void refreshesBeforeExpiryWithTheDigestAnsweredUpFront() throws Exception {
        grantSeconds = 100; // the upper grants less than asked: refresh half way
        start(GbCascadeConfig.builder(LOCAL), upperPlatform());
        awaitState("registered", LinkState.REGISTERED);
        assertThat(link().registeredUntil()).isEqualTo(T0.plusSeconds(100));
        advance(Duration.ofSeconds(49));
        assertThat(registers).hasSize(2);
        advance(Duration.ofSeconds(1));
        await("refresh", () -> registers.size() == 3);
        DigestCredentials c = DigestCredentials.parse(registers.get(2).header("Authorization"));
        assertThat(c.nonceCount()).isEqualTo(2);
        await("refreshed", () -> T0.plusSeconds(150).equals(link().registeredUntil()));
        assertThat(link().state()).isEqualTo(LinkState.REGISTERED);
        assertThat(transitions).containsExactly("REGISTERED 200 OK");
    }

    @Test
    void backsOffDoublingUpToTheMaximumThenRecovers() throws Exception {
        registerStatus = 503;
        start(GbCascadeConfig.builder(LOCAL).backoff(Duration.ofSeconds(5), Duration.ofSeconds(20)), upperPlatform());
        awaitState("first failure", LinkState.BACKING_OFF);
        assertThat(transitions.get(0)).isEqualTo("BACKING_OFF 503 Refused; next attempt in 5 s");
        // attempts at 0, 5, 15, 35, 55: waits 5, 10, 20, 20
        int[] expected = {1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3};
        for (int i = 1; i < expected.length; i++) {
            advance(Duration.ofSeconds(1));
            int want = expected[i];
            // each failed attempt is a REGISTERING and a BACKING_OFF transition (the first only the latter)
            await("attempt " + want + " at " + i + " s handled", () -> transitions.size() >= 2 * want - 1);
            drain();
            assertThat(registers).as("at %d s", i).hasSize(want);
        }
        advance(Duration.ofSeconds(20));
        await("4th attempt handled", () -> transitions.size() == 7);
        drain();
        assertThat(registers).hasSize(4);
        assertThat(transitions).last().isEqualTo("BACKING_OFF 503 Refused; next attempt in 20 s");
        advance(Duration.ofSeconds(19));
        assertThat(registers).hasSize(4);
        registerStatus = 0;
        advance(Duration.ofSeconds(1));
        awaitState("registered", LinkState.REGISTERED);
        assertThat(registers).hasSize(6); // the 5th attempt: challenge and answer
        assertThat(transitions).last().isEqualTo("REGISTERED 200 OK");
    }

    @Test
    void aWrongPasswordIsAFailureNotALoop() throws Exception {
        password = "not-" + PASSWORD;
        start(GbCascadeConfig.builder(LOCAL), upperPlatform());
        awaitState("failed", LinkState.BACKING_OFF);
        assertThat(registers).hasSize(2);
        assertThat(transitions.get(0)).startsWith("BACKING_OFF 401 Unauthorized (wrong password?)");
    }

    @Test
    void lostKeepalivesMakeTheLinkRegisterAgain() throws Exception {
        start(GbCascadeConfig.builder(LOCAL).keepaliveMisses(3), upperPlatform());
        await("registered", () -> link().lastKeepaliveAnswered() != null);
        drain();
        dropMessages = true;
        // keepalives at 60, 120, 180 s each time out after 64 x T1 = 32 s: the third loss at 212 s
        advance(Duration.ofSeconds(211));
        assertThat(link().state()).isEqualTo(LinkState.REGISTERED);
        advance(Duration.ofSeconds(1));
        awaitState("backing off", LinkState.BACKING_OFF);
        assertThat(transitions).last().asString().startsWith("BACKING_OFF 3 keepalives lost");
        dropMessages = false;
        advance(Duration.ofSeconds(5));
        awaitState("registered again", LinkState.REGISTERED);
        assertThat(transitions).containsExactly("REGISTERED 200 OK",
                "BACKING_OFF 3 keepalives lost; next attempt in 5 s", "REGISTERING back-off over", "REGISTERED 200 OK");
    }

    @Test
    void anAlarmIsRetriedUntil200AndJournalledUntilThen() throws Exception {
        start(GbCascadeConfig.builder(LOCAL).alarmRetry(Duration.ofSeconds(1)), upperPlatform());
        awaitState("registered", LinkState.REGISTERED);
        alarmStatus = 500;
        Instant raised = T0.minusSeconds(3);
        CompletionStage<Instant> done = cascade.forwardAlarm(UPPER,
                new CascadeAlarm("case-1", null, 1, 2, 2, raised, "前门红外入侵"));
        await("first attempt refused", () -> refusals.size() == 1);
        drain();
        assertThat(refusals).containsExactly("case-1 1 500 Busy");
        assertThat(link().pendingAlarms()).isEqualTo(1);
        assertThat(store.newest(RecordType.CHECKPOINT, AlarmOutbox.subject(UPPER)).orElseThrow().payload())
                .asString(StandardCharsets.UTF_8).contains("0.reference=case-1");
        drain();
        advance(Duration.ofSeconds(1));
        await("second attempt refused", () -> refusals.size() == 2);
        drain();
        alarmStatus = 200;
        advance(Duration.ofSeconds(1));
        Instant at = done.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(at).isEqualTo(T0.plusSeconds(2));
        assertThat(deliveries).containsExactly("case-1 at " + at + " after 3");
        List<ManscdpAlarm> alarms = messages.stream().filter(m -> m.is("Notify", "Alarm")).map(ManscdpAlarm::of)
                .toList();
        assertThat(alarms).hasSize(3).extracting(ManscdpAlarm::sn).containsOnly(alarms.get(0).sn());
        ManscdpAlarm a = alarms.get(0);
        assertThat(a.deviceId()).isEqualTo(LOCAL);
        assertThat(a.priority()).isEqualTo(1);
        assertThat(a.method()).isEqualTo(2);
        assertThat(a.type()).isEqualTo(2);
        assertThat(a.description()).isEqualTo("前门红外入侵");
        assertThat(a.time()).isEqualTo(java.time.LocalDateTime.of(2026, 3, 1, 9, 59, 57));
        await("journalled as delivered", () -> link().pendingAlarms() == 0);
        drain();
        assertThat(store.newest(RecordType.CHECKPOINT, AlarmOutbox.subject(UPPER)).orElseThrow().payload())
                .asString(StandardCharsets.UTF_8).doesNotContain("case-1");
    }


    /** A request from the upper platform (From its ID) to the cascade. */
    SipResponse ask(String method, String fromId, String body) throws Exception {
        SipHeaders.Builder h = SipHeaders.builder()
                .add("From", "<sip:" + fromId + "@1100000000>;tag=q" + method.length())
                .add("To", "<sip:" + LOCAL + "@3402000000>")
                .add("Call-ID", upper.newToken()).add("CSeq", "1 " + method);
        if (body != null) {
            h.add("Content-Type", "Application/MANSCDP+xml");
        }
        SipRequest r = SipRequest.of(method, "sip:" + LOCAL + "@3402000000", h.build(),
                body == null ? null : body.getBytes(GB2312));
        return upper.send(r, new SipPeer(SipTransport.UDP, cascade.stack().udpAddress())).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    static String query(String cmd, String deviceId, String extra) {
        return "<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Query>\r\n<CmdType>" + cmd + "</CmdType>\r\n<SN>5</SN>"
                + "\r\n<DeviceID>" + deviceId + "</DeviceID>\r\n" + extra + "</Query>\r\n";
    }

    @Test
    void badRequestsGetTheProtocolsNegativeAnswers() throws Exception {
        start(GbCascadeConfig.builder(LOCAL), upperPlatform());
        awaitState("registered", LinkState.REGISTERED);
        // not a configured upper platform
        assertThat(ask(SipRequest.MESSAGE, "11000000002000000099", query("Catalog", LOCAL, "")).status())
                .isEqualTo(403);
        // no media source configured: every INVITE is refused
        assertThat(ask(SipRequest.INVITE, UPPER, null).status()).isEqualTo(488);
        // an event package the centre does not offer (it offers Catalog, Alarm and MobilePosition)
        SipResponse sub = upper.send(SipRequest.of(SipRequest.SUBSCRIBE, "sip:" + LOCAL + "@3402000000",
                SipHeaders.builder().add("From", "<sip:" + UPPER + "@1100000000>;tag=s1")
                        .add("To", "<sip:" + LOCAL + "@3402000000>").add("Call-ID", upper.newToken())
                        .add("CSeq", "1 SUBSCRIBE").add("Event", "dialog").add("Expires", "60").build(), null),
                new SipPeer(SipTransport.UDP, cascade.stack().udpAddress())).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(sub.status()).isEqualTo(489);
        // MANSCDP that does not parse, an ID the centre does not export, a query it does not answer
        SipResponse bad = ask(SipRequest.MESSAGE, UPPER, "<Query><CmdType>Catalog");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.reason()).startsWith("MANSCDP");
        assertThat(ask(SipRequest.MESSAGE, UPPER, query("DeviceInfo", "34020000001310009999", "")).status())
                .isEqualTo(404);
        assertThat(ask(SipRequest.MESSAGE, UPPER, query("RecordInfo", LOCAL, "")).status()).isEqualTo(400);
        // a PTZ code with a wrong checksum
        String ptz = "<?xml version=\"1.0\"?>\r\n<Control>\r\n<CmdType>DeviceControl</CmdType>\r\n<SN>6</SN>\r\n"
                + "<DeviceID>" + LOCAL + "</DeviceID>\r\n<PTZCmd>A50F0100000000FF</PTZCmd>\r\n</Control>\r\n";
        assertThat(ask(SipRequest.MESSAGE, UPPER, ptz).status()).isEqualTo(400);
        // and what it does answer: DeviceStatus of the centre, 200 then a Response MESSAGE
        assertThat(ask(SipRequest.MESSAGE, UPPER, query("DeviceStatus", LOCAL, "")).status()).isEqualTo(200);
        await("DeviceStatus answer", () -> messages.stream().anyMatch(m -> m.is("Response", "DeviceStatus")));
        ManscdpDocument st = messages.stream().filter(m -> m.is("Response", "DeviceStatus")).findFirst().orElseThrow();
        assertThat(st.sn()).isEqualTo(5);
        assertThat(st.text("Result")).isEqualTo("OK");
        assertThat(st.text("Online")).isEqualTo("ONLINE");
        assertThat(st.text("DeviceTime")).isEqualTo("2026-03-01T10:00:00");
    }
}
