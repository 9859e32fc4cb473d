package org.arc4j.core.security.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest computation of RFC 2617 §3.2.2.1 (and RFC 7616 §3.4.1 with SHA-256):
 * {@code HA1 = H(username:realm:password)}, {@code HA2 = H(method:digest-uri)}, and
 * {@code response = H(HA1:nonce:HA2)} in the RFC 2069 form or
 * {@code H(HA1:nonce:nc:cnonce:qop:HA2)} with {@code qop=auth}. Hex digits are lower case.
 *
 * <p>Stateless and thread-safe: use {@link #INSTANCE}. Secrets are never logged.
 */
public final class Digest {
    /** The singleton. */
    public static final Digest INSTANCE = new Digest();

    private static final HexFormat HEX = HexFormat.of();

    private Digest() {
    }

    /**
     * Computes a response.
     *
     * @param algorithm the algorithm
     * @param username  the user name
     * @param realm     the realm
     * @param password  the password as UTF-8 bytes (not kept)
     * @param method    the request method
     * @param uri       the digest-uri
     * @param nonce     the server nonce
     * @param nc        the nonce count (8 hex digits) or null for the RFC 2069 form
     * @param cnonce    the client nonce or null
     * @param qop       {@code auth} or null
     * @return the response, lower-case hex
     */
    public String response(DigestAlgorithm algorithm, String username, String realm, byte[] password,
                           String method, String uri, String nonce, String nc, String cnonce, String qop) {
        MessageDigest md = digest(algorithm);
        md.update((username + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
        md.update(password);
        String ha1 = HEX.formatHex(md.digest());
        String ha2 = hex(md, method + ":" + uri);
        String tail = qop == null ? nonce + ":" + ha2 : nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2;
        return hex(md, ha1 + ":" + tail);
    }

    /**
     * Checks credentials against a password: the response is recomputed from the credentials' own fields and
     * compared in constant time. Nonce freshness and replay are the caller's job ({@link DigestAuthenticator}).
     *
     * @param credentials the received credentials
     * @param method      the request's method
     * @param password    the password as UTF-8 bytes
     * @return true if the response matches
     */
    public boolean matches(DigestCredentials credentials, String method, byte[] password) {
        DigestAlgorithm alg = credentials.digestAlgorithm();
        if (alg == null) {
            return false;
        }
        String expected = response(alg, credentials.username(), credentials.realm(), password, method,
                credentials.uri(), credentials.nonce(), credentials.nc(), credentials.cnonce(), credentials.qop());
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                credentials.response().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static String hex(MessageDigest md, String s) {
        return HEX.formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest(DigestAlgorithm a) {
        try {
            return MessageDigest.getInstance(a.jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + a.jdkName(), e);
        }
    }
}
