package org.arc4j.core.security.digest;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server side of digest authentication (RFC 2617, RFC 7616; SIP uses it as RFC 3261 §22 says): issues
 * challenges, and verifies answers with nonce expiry and replay protection. Wire-neutral: the caller reads
 * {@code Authorization} and writes {@code WWW-Authenticate} in its own protocol.
 *
 * <ul>
 *   <li>Nonces are random, remembered with their issue time on the given clock (the core {@code Scheduler}'s
 *       clock, so expiry is testable on virtual time), and expire after {@code nonceLifetime}: a right answer
 *       with an expired nonce gets {@link Verdict#STALE} (send a new challenge with {@code stale=TRUE}).</li>
 *   <li>Replay: with {@code qop=auth} each answer must carry a nonce count above the last one seen for that
 *       nonce; in the RFC 2069 form (no qop), which has no count, a nonce is good for one request.</li>
 *   <li>Both forms are accepted whatever was offered, since devices differ; the opaque value must be
 *       echoed; the algorithm must be the one challenged.</li>
 *   <li>At most {@code maxNonces} are outstanding; the oldest are dropped first.</li>
 * </ul>
 *
 * <p>Thread-safe: state is guarded by this object's lock; verification is a few hashes.
 */
public final class DigestAuthenticator {
    /** Default nonce lifetime: long enough for a slow device, short against replay. */
    public static final Duration DEFAULT_NONCE_LIFETIME = Duration.ofMinutes(5);

    private static final HexFormat HEX = HexFormat.of();

    private final Clock clock;
    private final String realm;
    private final DigestAlgorithm algorithm;
    private final boolean offerQop;
    private final Duration nonceLifetime;
    private final int maxNonces;
    private final SecureRandom random = new SecureRandom();
    private final LinkedHashMap<String, NonceState> nonces = new LinkedHashMap<>();

    /** What {@link #verify} decided. */
    public enum Verdict {
        /** The answer is right; the request is authenticated. */
        OK,
        /** The realm is not ours. */
        REALM_MISMATCH,
        /** The nonce was never issued, or was dropped. */
        UNKNOWN_NONCE,
        /** The algorithm is unknown or not the one challenged. */
        ALGORITHM_MISMATCH,
        /** The opaque value was not echoed. */
        OPAQUE_MISMATCH,
        /** A qop other than {@code auth}, or {@code auth} without nc/cnonce. */
        QOP_INVALID,
        /** The response does not match the password. */
        WRONG_RESPONSE,
        /** Right answer, but the nonce expired: challenge again with {@code stale=TRUE}. */
        STALE,
        /** A nonce count not above the last one, or a reused RFC 2069 nonce. */
        REPLAY
    }

    private static final class NonceState {
        final Instant issuedAt;
        final String opaque;
        final DigestAlgorithm algorithm;
        long lastNc;
        boolean used;

        NonceState(Instant issuedAt, String opaque, DigestAlgorithm algorithm) {
            this.issuedAt = issuedAt;
            this.opaque = opaque;
            this.algorithm = algorithm;
        }
    }

    /**
     * An authenticator.
     *
     * @param clock         the clock nonce ages are measured on
     * @param realm         the realm (GB/T 28181: the platform's domain)
     * @param algorithm     the algorithm to challenge with
     * @param offerQop      true to offer {@code qop="auth"}, false for the RFC 2069 form
     * @param nonceLifetime how long a nonce is good
     * @param maxNonces     the most outstanding nonces kept
     */
    public DigestAuthenticator(Clock clock, String realm, DigestAlgorithm algorithm, boolean offerQop,
                               Duration nonceLifetime, int maxNonces) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.realm = Objects.requireNonNull(realm, "realm");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.offerQop = offerQop;
        this.nonceLifetime = Objects.requireNonNull(nonceLifetime, "nonceLifetime");
        if (maxNonces < 1) {
            throw new IllegalArgumentException("maxNonces must be positive");
        }
        this.maxNonces = maxNonces;
    }

    /** @return the realm */
    public String realm() {
        return realm;
    }

    /**
     * Issues a challenge with a fresh nonce and opaque.
     *
     * @param stale whether to mark it stale (the last answer was right but its nonce expired)
     * @return the challenge for {@code WWW-Authenticate}
     */
    public DigestChallenge challenge(boolean stale) {
        return challenge(stale, algorithm);
    }

    /**
     * Issues a challenge with a given algorithm (per-device choice, e.g. SHA-256 for 2022-edition devices).
     *
     * @param stale whether to mark it stale
     * @param alg   the algorithm
     * @return the challenge
     */
    public DigestChallenge challenge(boolean stale, DigestAlgorithm alg) {
        byte[] n = new byte[16];
        byte[] o = new byte[16];
        random.nextBytes(n);
        random.nextBytes(o);
        String nonce = HEX.formatHex(n);
        String opaque = HEX.formatHex(o);
        Instant now = clock.instant();
        synchronized (this) {
            purge(now);
            nonces.put(nonce, new NonceState(now, opaque, alg));
        }
        return new DigestChallenge(realm, nonce, opaque, alg, offerQop ? "auth" : null, stale);
    }

    /** @return the number of outstanding nonces */
    public synchronized int outstanding() {
        return nonces.size();
    }

    /**
     * Verifies an answer.
     *
     * @param method      the request's method
     * @param credentials the parsed Authorization
     * @param password    the password as UTF-8 bytes
     * @return the verdict; only {@link Verdict#OK} authenticates
     */
    public Verdict verify(String method, DigestCredentials credentials, byte[] password) {
        if (!realm.equals(credentials.realm())) {
            return Verdict.REALM_MISMATCH;
        }
        String qop = credentials.qop();
        long nc = -1;
        if (qop != null) {
            nc = credentials.nonceCount();
            if (!qop.equalsIgnoreCase("auth") || nc < 1 || credentials.cnonce() == null) {
                return Verdict.QOP_INVALID;
            }
        }
        Instant now = clock.instant();
        synchronized (this) {
            NonceState s = nonces.get(credentials.nonce());
            if (s == null) {
                return Verdict.UNKNOWN_NONCE;
            }
            if (credentials.digestAlgorithm() != s.algorithm) {
                return Verdict.ALGORITHM_MISMATCH;
            }
            if (!Objects.equals(s.opaque, credentials.opaque())) {
                return Verdict.OPAQUE_MISMATCH;
            }
            if (!Digest.INSTANCE.matches(credentials, method, password)) {
                return Verdict.WRONG_RESPONSE;
            }
            if (now.isAfter(s.issuedAt.plus(nonceLifetime))) {
                nonces.remove(credentials.nonce());
                return Verdict.STALE;
            }
            if (qop == null) {
                if (s.used) {
                    return Verdict.REPLAY;
                }
                s.used = true;
            } else {
                if (nc <= s.lastNc) {
                    return Verdict.REPLAY;
                }
                s.lastNc = nc;
            }
            return Verdict.OK;
        }
    }

    private void purge(Instant now) {
        Iterator<Map.Entry<String, NonceState>> it = nonces.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, NonceState> e = it.next();
            boolean expired = now.isAfter(e.getValue().issuedAt.plus(nonceLifetime));
            if (expired || nonces.size() >= maxNonces) {
                it.remove();
            } else {
                break;
            }
        }
    }
}
