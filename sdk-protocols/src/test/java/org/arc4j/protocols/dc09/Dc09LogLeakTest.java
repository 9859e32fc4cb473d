package org.arc4j.protocols.dc09;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testsupport.LogCapture;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No DC-09 key reaches a log line: canary keys go through the receiver and the transmitter (encrypted
 * traffic, a wrong key, a weak key accepted by override, key-change requests allowed and refused) with the
 * per-account traffic trace written to the log. The sdk-core test jar's capturing SLF4J provider records
 * every line of this module's test run; this class runs last, so it also scans the lines of every other test.
 */
@Order(Integer.MAX_VALUE)
class Dc09LogLeakTest {
    private static final Logger LOG = LoggerFactory.getLogger(Dc09LogLeakTest.class);
    private static final String KEY = "C0FFEE11C0FFEE22C0FFEE33C0FFEE44";
    private static final String WRONG_KEY = "BADC0DE1BADC0DE2BADC0DE3BADC0DE4";
    private static final String NEW_KEY = "FEEDF00DFEEDF00DFEEDF00DFEEDF00D";
    private static final String WEAK_KEY = "00000000000000000000000000000000";
    private static final List<String> CANARIES = List.of("C0FFEE", "BADC0DE", "FEEDF00D");

    @Test
    void noLogLineOfTheRunContainsAKey() throws Exception {
        assertThat(LogCapture.active()).as("the capturing SLF4J provider must be the bound one").isTrue();
        ManualScheduler scheduler = new ManualScheduler(Instant.now());
        InMemoryCredentialStore keys = new InMemoryCredentialStore();
        keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"), new Credential(null, Secret.ofHex(KEY),
                Map.of(Credential.OPTION_KEY_CHANGE_ALLOWED, "true")));
        keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "5678"), new Credential(null, Secret.ofHex(KEY), Map.of()));
        keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "9999"), new Credential(null, Secret.ofHex(WEAK_KEY),
                Map.of(Credential.OPTION_WEAK_KEY_ACCEPTED, "true")));
        Dc09Receiver receiver = Dc09Receiver.builder(new InMemoryAlarmIntake(scheduler.clock()), keys,
                        new InMemorySupervisor(scheduler), scheduler)
                .tcp(new InetSocketAddress("127.0.0.1", 0))
                .trace(account -> true, line -> LOG.info("trace {}", line))
                .build().start();
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", receiver.tcpPort());
        try {
            send(scheduler, at, "1234", KEY, "#1234|Nri1/BA001", List.of());
            send(scheduler, at, "1234", WRONG_KEY, "#1234|Nri1/BA002", List.of());
            send(scheduler, at, "9999", WEAK_KEY, "#9999|Nri1/BA003", List.of());
            send(scheduler, at, "5678", KEY, "#5678|Nri1/BA004", List.of(new Dc09ExtendedData('K', NEW_KEY)));
            send(scheduler, at, "1234", KEY, "#1234|Nri1/BA005", List.of(new Dc09ExtendedData('K', NEW_KEY)));
        } finally {
            receiver.close();
        }

        // the capture works: it sees the lines logged around the keys
        assertThat(LogCapture.containing("trace")).as("traffic trace lines").isNotEmpty();
        assertThat(LogCapture.containing("known-weak key")).isNotEmpty();
        assertThat(LogCapture.containing("key change request from account 5678 refused")).isNotEmpty();
        assertThat(LogCapture.containing("changed at the panel's request")).isNotEmpty();
        // and no line of the whole run holds a key, in either case
        for (String canary : CANARIES) {
            assertThat(LogCapture.lines()).as("lines leaking %s", canary)
                    .noneMatch(l -> l.toUpperCase(Locale.ROOT).contains(canary));
        }
    }

    private static void send(ManualScheduler scheduler, InetSocketAddress at, String account, String key, String data,
                             List<Dc09ExtendedData> extended) throws Exception {
        try (Dc09Transmitter tx = Dc09Transmitter.builder(scheduler).path(Dc09Path.tcp(at)).account(account)
                .key(Dc09Key.ofHex(key)).ackTimeout(Duration.ofHours(1)).attemptsPerPath(1).build()) {
            Dc09SendResult r = tx.send(Dc09Token.SIA_DCS, data, extended).toCompletableFuture().get(20, TimeUnit.SECONDS);
            LOG.info("sent to {}: {}", account, r.getClass().getSimpleName());
        }
    }

    @Test
    void theScanWouldCatchALeak() {
        String marker = "Leak-Detector-Selftest-" + System.nanoTime();
        LOG.debug("a careless line: {}", marker);
        assertThat(LogCapture.containing(marker)).as("a leak would be seen").hasSize(1);
    }
}
