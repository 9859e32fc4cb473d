package org.arc4j.protocols.onvif;

import java.util.Objects;

/**
 * Why an ONVIF request did not produce a result: the typed error with which every future of
 * {@link OnvifDevice} completes exceptionally. SOAP faults are the subclass {@link OnvifFault}.
 *
 * <p>Messages name the device's address and what went wrong, never a password, nonce digest or
 * {@code Authorization} value. Immutable.
 */
public class OnvifException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The closed set of failure kinds. */
    public enum Kind {
        /** The TCP connection could not be made or broke before the answer was complete. */
        CONNECT,
        /** No complete answer within the request timeout. */
        TIMEOUT,
        /** An HTTP status other than 2xx whose body is not a SOAP fault. */
        HTTP_STATUS,
        /** The answer is larger than the client accepts (1 MiB by default). */
        RESPONSE_TOO_LARGE,
        /** The answer cannot be read as SOAP, or lacks what the operation returns. */
        MALFORMED,
        /** A SOAP fault; the exception is an {@link OnvifFault}. */
        FAULT,
        /** The device refused our credentials (HTTP 401 after an answered challenge, or {@code ter:NotAuthorized}). */
        NOT_AUTHORIZED,
        /**
         * The client withheld an authenticated request because the device refused credentials twice in a row:
         * no request is sent until the lockout guard's pause ends, so that the camera account is not locked.
         */
        LOCKED_OUT,
        /** No ONVIF login is stored for the device. */
        NO_CREDENTIALS,
        /** The device's TLS certificate is neither trusted by the JDK trust store nor the pinned fingerprint. */
        UNTRUSTED_CERTIFICATE,
        /** The device does not offer the service the operation needs (no PTZ, no events, no device IO). */
        UNSUPPORTED,
        /** The client was closed. */
        CLOSED
    }

    private final Kind kind;
    private final int httpStatus;

    /**
     * An error.
     *
     * @param kind       the kind
     * @param message    what happened (no secrets)
     * @param httpStatus the HTTP status when one was received, else 0
     * @param cause      the underlying cause, or null
     */
    public OnvifException(Kind kind, String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.httpStatus = httpStatus;
    }

    /**
     * An error without HTTP status or cause.
     *
     * @param kind    the kind
     * @param message what happened
     */
    public OnvifException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the HTTP status received, or 0 when none */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Whether this error means the device refused our credentials, as a fault ({@code ter:NotAuthorized}) or as
     * a plain HTTP 401.
     *
     * @return true for an authentication refusal
     */
    public boolean isAuthenticationFailure() {
        return kind == Kind.NOT_AUTHORIZED;
    }
}
