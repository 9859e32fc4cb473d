package org.arc4j.core.security.digest;

import java.util.Map;
import java.util.Objects;

/**
 * A digest challenge, the value of {@code WWW-Authenticate} in a 401 (RFC 2617 §3.2.1, RFC 7616 §3.3), as a
 * SIP, RTSP or HTTP server sends it. Immutable.
 *
 * @param realm     the realm (GB/T 28181: the platform's domain, e.g. {@code 3402000000})
 * @param nonce     the server nonce
 * @param opaque    the opaque value the client must echo, or null
 * @param algorithm the algorithm, written explicitly even for MD5
 * @param qop       the offered quality of protection ({@code auth}), or null for the RFC 2069 form
 * @param stale     true when the previous nonce had expired but the credentials were right
 */
public record DigestChallenge(String realm, String nonce, String opaque, DigestAlgorithm algorithm, String qop,
                              boolean stale) {
    /** Validates the parts. */
    public DigestChallenge {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(algorithm, "algorithm");
    }

    /**
     * Whether the challenge offers {@code qop=auth}. An HTTP server may offer a list ({@code "auth,auth-int"},
     * RFC 7616 §3.3); {@code auth-int} alone is not something a client of this package answers.
     *
     * @return true when {@code auth} is among the offered values
     */
    public boolean offersAuth() {
        if (qop == null) {
            return false;
        }
        for (String v : qop.split(",")) {
            if (v.trim().equalsIgnoreCase("auth")) {
                return true;
            }
        }
        return false;
    }

    /** @return the header value, e.g. {@code Digest realm="3402000000", nonce="…", algorithm=MD5} */
    public String toHeaderValue() {
        StringBuilder sb = new StringBuilder("Digest realm=\"").append(realm).append("\", nonce=\"").append(nonce)
                .append('"');
        if (opaque != null) {
            sb.append(", opaque=\"").append(opaque).append('"');
        }
        sb.append(", algorithm=").append(algorithm.token());
        if (qop != null) {
            sb.append(", qop=\"").append(qop).append('"');
        }
        if (stale) {
            sb.append(", stale=TRUE");
        }
        return sb.toString();
    }

    /**
     * Parses a {@code WWW-Authenticate} value.
     *
     * @param value the header value
     * @return the challenge, or null if it is not a digest challenge with realm and nonce or names an unknown
     *         algorithm
     */
    public static DigestChallenge parse(String value) {
        Map<String, String> p = DigestCredentials.authParams(value);
        if (p == null || p.get("realm") == null || p.get("nonce") == null) {
            return null;
        }
        DigestAlgorithm alg = DigestAlgorithm.ofToken(p.get("algorithm"));
        if (alg == null) {
            return null;
        }
        return new DigestChallenge(p.get("realm"), p.get("nonce"), p.get("opaque"), alg, p.get("qop"),
                "true".equalsIgnoreCase(p.get("stale")));
    }
}
