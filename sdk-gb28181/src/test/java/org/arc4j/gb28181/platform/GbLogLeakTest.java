package org.arc4j.gb28181.platform;

import static org.assertj.core.api.Assertions.assertThat;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.gb28181.Vectors;
import org.arc4j.gb28181.manscdp.CatalogItem;
import org.arc4j.gb28181.manscdp.PtzCmd;
import org.arc4j.core.security.digest.Digest;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.gb28181.sip.ServerTransaction;
import org.arc4j.gb28181.sip.SipHeaders;
import org.arc4j.gb28181.sip.SipPeer;
import org.arc4j.gb28181.sip.SipRequest;
import org.arc4j.gb28181.sip.SipResponse;
import org.arc4j.gb28181.sip.SipStack;
import org.arc4j.gb28181.sip.SipTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import java.util.Locale;
import org.arc4j.core.testsupport.LogCapture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No SIP password reaches a log line: a canary password goes through digest registration (a wrong password,
 * the right one, a refresh and a de-registration) and keepalives. The sdk-core test jar's capturing SLF4J
 * provider records every line of this module's test run; this class runs last, so it also scans the lines of
 * every other test (whose passwords are listed below).
 */
@Order(Integer.MAX_VALUE)
class GbLogLeakTest {
    private static final String CANARY = "Canary-Sip-7c1e0a";
    /** Passwords other tests of this module use. */
    private static final List<String> SUITE_SECRETS = List.of("12345678");

    @Test
    void noLogLineOfTheRunContainsAPassword() throws Exception {
        assertThat(LogCapture.active()).as("the capturing SLF4J provider must be the bound one").isTrue();
        GbPlatformTest fx = new GbPlatformTest();
        try {
            fx.platform(GbPlatformConfig.builder(GbPlatformTest.PLATFORM).queryCatalogOnRegister(false));
            fx.store.put(CredentialKey.of(CredentialKind.SIP_PASSWORD, GbPlatformTest.DEVICE),
                    new Credential(null, Secret.ofUtf8(CANARY), Map.of()));
            SipStack dev = fx.device();
            assertThat(fx.registerWithDigest(dev, SipTransport.UDP, "not-" + CANARY, 3600).status()).isEqualTo(403);
            assertThat(fx.registerWithDigest(dev, SipTransport.UDP, CANARY, 3600).status()).isEqualTo(200);
            assertThat(fx.send(dev, fx.manscdp("MESSAGE", GbPlatformTest.keepalive(1), Charset.forName("GB2312")),
                    SipTransport.UDP).status()).isEqualTo(200);
            assertThat(fx.registerWithDigest(dev, SipTransport.TCP, CANARY, 0).status()).isEqualTo(200);
            LoggerFactory.getLogger(GbLogLeakTest.class).info("device {} done with {}", GbPlatformTest.DEVICE,
                    fx.store.find(CredentialKey.of(CredentialKind.SIP_PASSWORD, GbPlatformTest.DEVICE)).orElseThrow());
        } finally {
            fx.close();
        }
        assertThat(LogCapture.containing("device " + GbPlatformTest.DEVICE + " done with")).singleElement()
                .satisfies(l -> assertThat(l).contains("Secret[redacted]"));
        assertThat(LogCapture.lines()).as("lines leaking the canary")
                .noneMatch(l -> l.toLowerCase(Locale.ROOT).contains(CANARY.toLowerCase(Locale.ROOT)));
        for (String s : SUITE_SECRETS) {
            assertThat(LogCapture.lines()).as("lines leaking %s", s).noneMatch(l -> l.contains("password " + s)
                    || l.contains("password=" + s) || l.contains(":" + s + "@"));
        }
    }

    @Test
    void theScanWouldCatchALeak() {
        String marker = "Leak-Detector-Selftest-" + System.nanoTime();
        LoggerFactory.getLogger(GbLogLeakTest.class).debug("a careless line: {}", marker);
        assertThat(LogCapture.containing(marker)).as("a leak would be seen").hasSize(1);
    }
}
