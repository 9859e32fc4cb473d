package org.arc4j.core.security.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import org.arc4j.core.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** The published examples of RFC 2617 and RFC 7616, and the client answering the server side of this package. */
class DigestClientTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rfc2617Section3_5Example() {
        String r = Digest.INSTANCE.response(DigestAlgorithm.MD5, "Mufasa", "testrealm@host.com",
                utf8("Circle Of Life"), "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001",
                "0a4f113b", "auth");
        assertThat(r).isEqualTo("6629fae49393a05397450978507c4ef1");
    }

    @Test
    void rfc7616Section3_9_1ExampleInBothAlgorithms() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        byte[] pw = utf8("Circle of Life");
        assertThat(Digest.INSTANCE.response(DigestAlgorithm.MD5, "Mufasa", "http-auth@example.org", pw, "GET",
                "/dir/index.html", nonce, "00000001", cnonce, "auth")).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(Digest.INSTANCE.response(DigestAlgorithm.SHA_256, "Mufasa", "http-auth@example.org", pw, "GET",
                "/dir/index.html", nonce, "00000001", cnonce, "auth"))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void rfc7616ChallengeWithQopListIsAnsweredWithAuth() {
        DigestChallenge c = DigestChallenge.parse("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", "
                + "algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "
                + "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
        assertThat(c).isNotNull();
        assertThat(c.offersAuth()).isTrue();
        DigestClient client = new DigestClient("Mufasa");
        client.challenged(c);
        DigestCredentials a = client.answer("GET", "/dir/index.html", utf8("Circle of Life"));
        assertThat(a.qop()).isEqualTo("auth");
        assertThat(a.nc()).isEqualTo("00000001");
        assertThat(a.algorithm()).isEqualTo("SHA-256");
        assertThat(a.opaque()).isEqualTo("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
        assertThat(Digest.INSTANCE.matches(a, "GET", utf8("Circle of Life"))).isTrue();
        assertThat(Digest.INSTANCE.matches(a, "GET", utf8("Circle of life"))).isFalse();
        // the header round-trips through the server-side parser
        DigestCredentials parsed = DigestCredentials.parse(a.toHeaderValue());
        assertThat(parsed).isEqualTo(a);
    }

    @Test
    void authIntOnlyAndNoQopFallBackToRfc2069Form() {
        DigestChallenge onlyInt = new DigestChallenge("r", "n", null, DigestAlgorithm.MD5, "auth-int", false);
        assertThat(onlyInt.offersAuth()).isFalse();
        DigestClient client = new DigestClient("u");
        client.challenged(onlyInt);
        DigestCredentials a = client.answer("DESCRIBE", "rtsp://cam/stream", utf8("p"));
        assertThat(a.qop()).isNull();
        assertThat(a.nc()).isNull();
        assertThat(a.cnonce()).isNull();
        assertThat(Digest.INSTANCE.matches(a, "DESCRIBE", utf8("p"))).isTrue();
    }

    @Test
    void answersTheServerSideWithRisingNonceCountsAndRestartsOnANewChallenge() {
        ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        for (DigestAlgorithm alg : DigestAlgorithm.values()) {
            DigestAuthenticator server = new DigestAuthenticator(clock, "3402000000", alg, true,
                    Duration.ofMinutes(5), 16);
            DigestClient client = new DigestClient("34020000001320000001", new SecureRandom());
            assertThat(client.hasChallenge()).isFalse();
            assertThatThrownBy(() -> client.answer("REGISTER", "sip:3402000000", utf8("pw")))
                    .isInstanceOf(IllegalStateException.class);
            client.challenged(server.challenge(false));
            for (int i = 1; i <= 3; i++) {
                DigestCredentials a = client.answer("MESSAGE", "sip:34020000002000000001@3402000000", utf8("pw"));
                assertThat(a.nonceCount()).isEqualTo(i);
                assertThat(server.verify("MESSAGE", a, utf8("pw"))).isEqualTo(DigestAuthenticator.Verdict.OK);
                // the same answer again is a replay
                assertThat(server.verify("MESSAGE", a, utf8("pw"))).isEqualTo(DigestAuthenticator.Verdict.REPLAY);
            }
            assertThat(server.verify("MESSAGE", client.answer("MESSAGE", "sip:x", utf8("wrong")), utf8("pw")))
                    .isEqualTo(DigestAuthenticator.Verdict.WRONG_RESPONSE);
            client.challenged(server.challenge(true));
            DigestCredentials fresh = client.answer("MESSAGE", "sip:x", utf8("pw"));
            assertThat(fresh.nonceCount()).isEqualTo(1);
            assertThat(server.verify("MESSAGE", fresh, utf8("pw"))).isEqualTo(DigestAuthenticator.Verdict.OK);
        }
    }
}
