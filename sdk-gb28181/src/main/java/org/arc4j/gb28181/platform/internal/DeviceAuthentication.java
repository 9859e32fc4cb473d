package org.arc4j.gb28181.platform.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.CredentialStore;
import org.arc4j.core.security.digest.DigestAuthenticator;
import org.arc4j.core.security.digest.DigestCredentials;
import org.arc4j.gb28181.sip.SipRequest;

/**
 * Checks a device's digest answer on any request (REGISTER, and MESSAGE or NOTIFY from an address the device
 * has not authenticated from) against its SIP password ({@code SIP_PASSWORD} in the credential store, scope =
 * device ID, else the platform's default password). GB/T 28181-2016 §9.1.2.1 authenticates REGISTER; RFC 3261
 * §22.3 lets a server challenge any request, which is how a device that moved proves who it is.
 *
 * <p>Thread-safe; the password bytes are wiped after each check.
 */
public final class DeviceAuthentication {
    /** What to do with a request. */
    public enum Outcome {
        /** The answer is right: the request comes from the device. */
        OK,
        /** No (usable) Authorization, or a nonce we no longer know: send a 401 challenge. */
        CHALLENGE,
        /** Right answer, expired nonce: a 401 with {@code stale=TRUE}. */
        STALE,
        /** A wrong answer, a user name mismatch or no password known: 403. */
        REFUSED
    }

    /**
     * @param outcome what to do
     * @param reason  why, for the log and the audit (never a secret)
     */
    public record Result(Outcome outcome, String reason) {
    }

    private static final Result CHALLENGE = new Result(Outcome.CHALLENGE, "no credentials");

    private final DigestAuthenticator authenticator;
    private final CredentialStore credentials;
    private final String defaultPassword;

    /**
     * @param authenticator   issues and verifies nonces
     * @param credentials     where SIP passwords are
     * @param defaultPassword the password of devices without their own, or null
     */
    public DeviceAuthentication(DigestAuthenticator authenticator, CredentialStore credentials,
                                String defaultPassword) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.defaultPassword = defaultPassword;
    }

    /**
     * Verifies the request's {@code Authorization} for a device.
     *
     * @param deviceId the device the request claims to come from
     * @param r        the request
     * @return the outcome
     */
    public Result verify(String deviceId, SipRequest r) {
        String auth = r.header("Authorization");
        if (auth == null) {
            return CHALLENGE;
        }
        DigestCredentials creds = DigestCredentials.parse(auth);
        if (creds == null) {
            return CHALLENGE;
        }
        Optional<Credential> stored = credentials.find(CredentialKey.of(CredentialKind.SIP_PASSWORD, deviceId));
        byte[] password;
        if (stored.isPresent()) {
            Credential c = stored.get();
            if (c.username() != null && !c.username().equals(creds.username())) {
                return new Result(Outcome.REFUSED, "user name mismatch");
            }
            password = c.secret().copyBytes();
        } else if (defaultPassword != null) {
            password = defaultPassword.getBytes(StandardCharsets.UTF_8);
        } else {
            return new Result(Outcome.REFUSED, "no credential");
        }
        DigestAuthenticator.Verdict v;
        try {
            v = authenticator.verify(r.method(), creds, password);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        return switch (v) {
            case OK -> new Result(Outcome.OK, "authenticated");
            case STALE -> new Result(Outcome.STALE, "stale nonce");
            case UNKNOWN_NONCE -> new Result(Outcome.CHALLENGE, "unknown nonce");
            default -> new Result(Outcome.REFUSED, v.name());
        };
    }
}
