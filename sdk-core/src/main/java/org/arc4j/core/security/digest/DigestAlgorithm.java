package org.arc4j.core.security.digest;

import java.util.Locale;

/**
 * The hash of HTTP digest authentication (RFC 2617, RFC 7616), as SIP (RFC 3261 §22.4), RTSP (RFC 2326 §D.2)
 * and ONVIF cameras use it: MD5 (RFC 2617; GB/T 28181-2016) and SHA-256 (RFC 7616; offered by GB/T 28181-2022
 * and newer cameras).
 */
public enum DigestAlgorithm {
    /** MD5, RFC 2617. Challenges always name it ({@code algorithm=MD5}): some devices do not answer without. */
    MD5("MD5", "MD5"),
    /** SHA-256, RFC 7616 §3.2. */
    SHA_256("SHA-256", "SHA-256");

    private final String token;
    private final String jdkName;

    DigestAlgorithm(String token, String jdkName) {
        this.token = token;
        this.jdkName = jdkName;
    }

    /** @return the token written in the {@code algorithm} parameter */
    public String token() {
        return token;
    }

    /** @return the JDK {@code MessageDigest} name */
    public String jdkName() {
        return jdkName;
    }

    /**
     * The algorithm for a token; an absent token means MD5 (RFC 2617 §3.2.1).
     *
     * @param token the parameter value, or null
     * @return the algorithm, or null for an unknown token
     */
    public static DigestAlgorithm ofToken(String token) {
        if (token == null) {
            return MD5;
        }
        String t = token.trim().toUpperCase(Locale.ROOT);
        for (DigestAlgorithm a : values()) {
            if (a.token.equals(t)) {
                return a;
            }
        }
        return null;
    }
}
