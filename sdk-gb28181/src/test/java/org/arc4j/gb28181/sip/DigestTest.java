package org.arc4j.gb28181.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.security.digest.Digest;
import org.arc4j.core.security.digest.DigestAlgorithm;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestChallenge;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.core.testsupport.FuzzSeeds;
import org.arc4j.core.testkit.ManualClock;
import org.arc4j.gb28181.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DigestTest {
    private static final byte[] PW = "12345".getBytes(StandardCharsets.UTF_8);

    private static SipRequest request(String file) {
        byte[] b = Vectors.bytes(file);
        return (SipRequest) ((SipParseResult.Parsed) SipParser.INSTANCE.parseDatagram(b, 0, b.length)).message();
    }

    @Test
    void hikvisionCaptureVerifiesWithAdmin12345() {
        for (String f : List.of("sip/hik2013_register_3_with_authorization.sip",
                "sip/hik2013_unregister_expires0_with_authorization.sip")) {
            SipRequest r = request(f);
            DigestCredentials c = DigestCredentials.parse(r.header("Authorization"));
            assertThat(c.username()).isEqualTo("admin");
            assertThat(c.realm()).isEqualTo("hik");
            assertThat(c.qop()).isNull();
            assertThat(Digest.INSTANCE.matches(c, r.method(), PW)).as(f).isTrue();
            assertThat(Digest.INSTANCE.matches(c, r.method(), "123456".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(Digest.INSTANCE.matches(c, "MESSAGE", PW)).isFalse();
        }
        DigestCredentials c = DigestCredentials.parse(
                request("sip/hik2013_register_3_with_authorization.sip").header("Authorization"));
        assertThat(c.response()).isEqualTo("907ddb1bcc25174d7de4a96c947fb066");
        assertThat(c.opaque()).isEqualTo("a853e4f25298413f9bf3a9aa6767857d");
    }

    @Test
    void challengesFromTheSamplesParse() {
        DigestChallenge hik = DigestChallenge.parse(request401("sip/hik2013_register_2_401.sip"));
        assertThat(hik.realm()).isEqualTo("hik");
        assertThat(hik.opaque()).isEqualTo("a853e4f25298413f9bf3a9aa6767857d");
        assertThat(hik.qop()).isNull();
        DigestChallenge gosip = DigestChallenge.parse(request401("sip/gosip_401_qop_auth_realm10digit.sip"));
        assertThat(gosip.realm()).isEqualTo("3707000008");
        assertThat(gosip.qop()).isEqualTo("auth");
        assertThat(gosip.algorithm()).isEqualTo(DigestAlgorithm.MD5);
        DigestChallenge wvp = DigestChallenge.parse(request401("sip/wvp_401_over_tcp_nat_received_rport.sip"));
        assertThat(wvp.nonce()).isEqualTo("5f0f6990c68f95f2a048c8df4cea745a");
        assertThat(DigestChallenge.parse(wvp.toHeaderValue())).isEqualTo(wvp);
        assertThat(wvp.toHeaderValue()).contains("algorithm=MD5");
        assertThat(DigestChallenge.parse("Basic realm=\"x\"")).isNull();
        assertThat(DigestChallenge.parse("Digest realm=\"x\", nonce=\"y\", algorithm=SHA-512-256")).isNull();
    }

    private static String request401(String file) {
        byte[] b = Vectors.bytes(file);
        return ((SipParseResult.Parsed) SipParser.INSTANCE.parseDatagram(b, 0, b.length)).message()
                .header("WWW-Authenticate");
    }

    /** The kept corpus (src/test/resources/fuzz/DigestTest.seeds), then fresh seeds. */
    static List<FuzzSeeds.Seed> seeds() {
        return FuzzSeeds.of(DigestTest.class, 1);
    }

    /** RFC 2069, RFC 2617 qop=auth and RFC 7616 SHA-256 against Python's hashlib. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("seeds")
    void matchesPythonHashlibOracle(FuzzSeeds.Seed seed) throws IOException, InterruptedException {
        seed.check(() -> {
            SplittableRandom rnd = new SplittableRandom(seed.value());
            List<String[]> cases = new ArrayList<>();
            StringBuilder input = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                DigestAlgorithm alg = i % 3 == 2 ? DigestAlgorithm.SHA_256 : DigestAlgorithm.MD5;
                boolean qop = i % 3 != 0;
                String[] c = {alg.name(), "user" + rnd.nextInt(1000), "34020000" + rnd.nextInt(100), "pw" + i + "Ω",
                        i % 2 == 0 ? "REGISTER" : "MESSAGE", "sip:34020000002000000001@3402000000",
                        Long.toHexString(rnd.nextLong()), qop ? String.format("%08x", i + 1) : "",
                        qop ? Long.toHexString(rnd.nextLong()) : "", qop ? "auth" : ""};
                cases.add(c);
                input.append(String.join("\t", c)).append('\n');
            }
            String py = """
                    import sys, hashlib
                    for line in sys.stdin.read().splitlines():
                        alg, user, realm, pw, method, uri, nonce, nc, cnonce, qop = line.split('\\t')
                        H = (lambda s: hashlib.md5(s.encode()).hexdigest()) if alg == 'MD5' else \\
                            (lambda s: hashlib.sha256(s.encode()).hexdigest())
                        ha1 = H(user + ':' + realm + ':' + pw)
                        ha2 = H(method + ':' + uri)
                        print(H(':'.join([ha1, nonce, nc, cnonce, qop, ha2]) if qop else ha1 + ':' + nonce + ':' + ha2))
                    """;
            Process p = new ProcessBuilder("python3", "-c", py).redirectErrorStream(true).start();
            p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            String[] lines = out.split("\n");
            assertThat(lines).hasSize(cases.size());
            for (int i = 0; i < cases.size(); i++) {
                String[] c = cases.get(i);
                String ours = Digest.INSTANCE.response(DigestAlgorithm.valueOf(c[0]), c[1], c[2],
                        c[3].getBytes(StandardCharsets.UTF_8), c[4], c[5], c[6], c[7].isEmpty() ? null : c[7],
                        c[8].isEmpty() ? null : c[8], c[9].isEmpty() ? null : c[9]);
                assertThat(ours).as("case %d %s", i, c[0]).isEqualTo(lines[i].trim());
            }
        });
    }

    private static DigestCredentials answer(DigestChallenge ch, String user, String pw, String method, String nc,
                                            String cnonce, boolean echoOpaque) {
        String uri = "sip:34020000002000000001@3402000000";
        String qop = nc == null ? null : "auth";
        String resp = Digest.INSTANCE.response(ch.algorithm(), user, ch.realm(), pw.getBytes(StandardCharsets.UTF_8),
                method, uri, ch.nonce(), nc, cnonce, qop);
        return DigestCredentials.parse(new DigestCredentials(user, ch.realm(), ch.nonce(), uri, resp,
                ch.algorithm().token(), cnonce, nc, qop, echoOpaque ? ch.opaque() : null).toHeaderValue());
    }

    @Test
    void authenticatorExpiresNoncesAndRefusesReplays() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        DigestAuthenticator auth = new DigestAuthenticator(clock, "3402000000", DigestAlgorithm.MD5, true,
                Duration.ofMinutes(5), 1000);
        byte[] pw = "secret".getBytes(StandardCharsets.UTF_8);
        DigestChallenge ch = auth.challenge(false);
        assertThat(ch.toHeaderValue()).contains("algorithm=MD5").contains("qop=\"auth\"");

        DigestCredentials first = answer(ch, "dev", "secret", "REGISTER", "00000001", "c1", true);
        assertThat(auth.verify("REGISTER", first, pw)).isEqualTo(DigestAuthenticator.Verdict.OK);
        assertThat(auth.verify("REGISTER", first, pw)).isEqualTo(DigestAuthenticator.Verdict.REPLAY);
        DigestCredentials second = answer(ch, "dev", "secret", "REGISTER", "00000002", "c2", true);
        assertThat(auth.verify("REGISTER", second, pw)).isEqualTo(DigestAuthenticator.Verdict.OK);

        assertThat(auth.verify("REGISTER", answer(ch, "dev", "wrong", "REGISTER", "00000003", "c", true), pw))
                .isEqualTo(DigestAuthenticator.Verdict.WRONG_RESPONSE);
        assertThat(auth.verify("REGISTER", answer(ch, "dev", "secret", "REGISTER", "00000003", "c", false), pw))
                .isEqualTo(DigestAuthenticator.Verdict.OPAQUE_MISMATCH);

        DigestChallenge rfc2069 = auth.challenge(false);
        DigestCredentials noQop = answer(rfc2069, "dev", "secret", "REGISTER", null, null, true);
        assertThat(auth.verify("REGISTER", noQop, pw)).isEqualTo(DigestAuthenticator.Verdict.OK);
        assertThat(auth.verify("REGISTER", noQop, pw)).isEqualTo(DigestAuthenticator.Verdict.REPLAY);

        DigestChallenge old = auth.challenge(false);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(auth.verify("REGISTER", answer(old, "dev", "secret", "REGISTER", "00000001", "x", true), pw))
                .isEqualTo(DigestAuthenticator.Verdict.STALE);
        assertThat(auth.verify("REGISTER", answer(old, "dev", "secret", "REGISTER", "00000002", "x", true), pw))
                .isEqualTo(DigestAuthenticator.Verdict.UNKNOWN_NONCE);
        assertThat(auth.challenge(true).toHeaderValue()).endsWith("stale=TRUE");
    }

    @Test
    void sha256AndAlgorithmBinding() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        DigestAuthenticator auth = new DigestAuthenticator(clock, "3402000000", DigestAlgorithm.MD5, false,
                Duration.ofMinutes(5), 1000);
        byte[] pw = "secret".getBytes(StandardCharsets.UTF_8);
        DigestChallenge sha = auth.challenge(false, DigestAlgorithm.SHA_256);
        assertThat(sha.toHeaderValue()).contains("algorithm=SHA-256").doesNotContain("qop");
        DigestCredentials ok = answer(sha, "dev", "secret", "REGISTER", "00000001", "cn", true);
        assertThat(ok.response()).hasSize(64);
        assertThat(auth.verify("REGISTER", ok, pw)).isEqualTo(DigestAuthenticator.Verdict.OK);
        DigestChallenge md5 = auth.challenge(false);
        DigestCredentials downgraded = answer(new DigestChallenge(md5.realm(), md5.nonce(), md5.opaque(),
                DigestAlgorithm.SHA_256, null, false), "dev", "secret", "REGISTER", null, null, true);
        assertThat(auth.verify("REGISTER", downgraded, pw)).isEqualTo(DigestAuthenticator.Verdict.ALGORITHM_MISMATCH);
        DigestCredentials noCnonce = DigestCredentials.parse("Digest username=\"dev\", realm=\"3402000000\", nonce=\""
                + md5.nonce() + "\", uri=\"sip:a@b\", response=\"00\", qop=auth, nc=00000001, opaque=\""
                + md5.opaque() + "\"");
        assertThat(auth.verify("REGISTER", noCnonce, pw)).isEqualTo(DigestAuthenticator.Verdict.QOP_INVALID);
        DigestCredentials authInt = DigestCredentials.parse("Digest username=\"dev\", realm=\"3402000000\", "
                + "nonce=\"" + md5.nonce() + "\", uri=\"sip:a@b\", response=\"00\", qop=auth-int, nc=00000001, "
                + "cnonce=\"c\"");
        assertThat(auth.verify("REGISTER", authInt, pw)).isEqualTo(DigestAuthenticator.Verdict.QOP_INVALID);
    }

    @Test
    void boundedNonceStore() {
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        DigestAuthenticator auth = new DigestAuthenticator(clock, "r", DigestAlgorithm.MD5, true,
                Duration.ofMinutes(5), 10);
        DigestChallenge first = auth.challenge(false);
        for (int i = 0; i < 50; i++) {
            auth.challenge(false);
        }
        assertThat(auth.outstanding()).isEqualTo(10);
        assertThat(auth.verify("REGISTER", answer(first, "d", "p", "REGISTER", "00000001", "c", true),
                "p".getBytes(StandardCharsets.UTF_8))).isEqualTo(DigestAuthenticator.Verdict.UNKNOWN_NONCE);
    }
}
