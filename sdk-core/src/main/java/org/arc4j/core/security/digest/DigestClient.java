package org.arc4j.core.security.digest;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The client side of digest authentication (RFC 2617 §3.2.2, RFC 7616 §3.4) for one user toward one server: it
 * remembers the server's last challenge and answers each request with a fresh response, counting the nonce
 * ({@code nc}) and drawing a new client nonce each time. Used by the RTSP and ONVIF clients and by a SIP user
 * agent that registers with an upper platform.
 *
 * <p>{@code qop=auth} is used when the challenge offers it; otherwise the RFC 2069 form is sent (no {@code nc},
 * no {@code cnonce}). A new challenge (any 401, also in the middle of a session, or {@code stale=TRUE}) replaces
 * the old one and restarts the count.
 *
 * <p>Thread-safe. The password is passed to each {@link #answer} call and not kept.
 */
public final class DigestClient {
    private static final HexFormat HEX = HexFormat.of();

    private final String username;
    private final SecureRandom random;
    private DigestChallenge challenge;
    private long nonceCount;

    /**
     * A client for one user.
     *
     * @param username the user name sent in every answer
     */
    public DigestClient(String username) {
        this(username, new SecureRandom());
    }

    /**
     * A client for one user with a given source of client nonces (tests).
     *
     * @param username the user name
     * @param random   where client nonces come from
     */
    public DigestClient(String username, SecureRandom random) {
        this.username = Objects.requireNonNull(username, "username");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Takes a server's challenge (from a 401's {@code WWW-Authenticate}); later answers use it.
     *
     * @param challenge the parsed challenge
     */
    public synchronized void challenged(DigestChallenge challenge) {
        this.challenge = Objects.requireNonNull(challenge, "challenge");
        this.nonceCount = 0;
    }

    /** @return true once a challenge has been taken, so requests can be authorised up front */
    public synchronized boolean hasChallenge() {
        return challenge != null;
    }

    /** @return the last challenge taken, or null */
    public synchronized DigestChallenge challenge() {
        return challenge;
    }

    /**
     * Answers the last challenge for one request.
     *
     * @param method   the request method ({@code DESCRIBE}, {@code POST}, {@code REGISTER}, …)
     * @param uri      the digest-uri: the request URI as written on the request line
     * @param password the password as UTF-8 bytes (not kept)
     * @return the credentials for the {@code Authorization} header
     * @throws IllegalStateException if no challenge was taken yet
     */
    public DigestCredentials answer(String method, String uri, byte[] password) {
        DigestChallenge c;
        long nc;
        synchronized (this) {
            if (challenge == null) {
                throw new IllegalStateException("no digest challenge taken yet");
            }
            c = challenge;
            nc = ++nonceCount;
        }
        String ncText = null;
        String cnonce = null;
        String qop = null;
        if (c.offersAuth()) {
            qop = "auth";
            ncText = String.format("%08x", nc);
            byte[] b = new byte[8];
            random.nextBytes(b);
            cnonce = HEX.formatHex(b);
        }
        String response = Digest.INSTANCE.response(c.algorithm(), username, c.realm(), password, method, uri,
                c.nonce(), ncText, cnonce, qop);
        return new DigestCredentials(username, c.realm(), c.nonce(), uri, response, c.algorithm().token(), cnonce,
                ncText, qop, c.opaque());
    }
}
