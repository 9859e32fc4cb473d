package org.arc4j.protocols.onvif;

import java.util.List;
import java.util.Objects;

/**
 * A SOAP fault answered by a device (SOAP 1.2 §5.4, SOAP 1.1 §4.4; ONVIF Core §5.11 "Error handling"), with its
 * code, its chain of subcodes and its reason. ONVIF puts the meaning in the subcodes, e.g.
 * {@code env:Sender / ter:NotAuthorized} or {@code env:Sender / ter:InvalidArgVal / ter:NoProfile}; they are
 * kept as local names ({@code NotAuthorized}), since devices bind the {@code ter} prefix inconsistently.
 * Immutable.
 */
public final class OnvifFault extends OnvifException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final List<String> subcodes;
    private final String reason;

    /**
     * A fault.
     *
     * @param code       the fault code's local name ({@code Sender}, {@code Receiver}; SOAP 1.1 {@code Client},
     *                   {@code Server}), or empty
     * @param subcodes   the subcodes' local names, outermost first
     * @param reason     the reason text, or empty
     * @param httpStatus the HTTP status that carried it
     */
    public OnvifFault(String code, List<String> subcodes, String reason, int httpStatus) {
        super(Kind.FAULT, "SOAP fault " + code + (subcodes.isEmpty() ? "" : " / " + String.join(" / ", subcodes))
                + (reason == null || reason.isEmpty() ? "" : ": " + reason), httpStatus, null);
        this.code = Objects.requireNonNullElse(code, "");
        this.subcodes = List.copyOf(subcodes);
        this.reason = Objects.requireNonNullElse(reason, "");
    }

    /** @return the fault code's local name */
    public String code() {
        return code;
    }

    /** @return the subcodes' local names, outermost first */
    public List<String> subcodes() {
        return subcodes;
    }

    /** @return the first subcode, or empty when there is none */
    public String subcode() {
        return subcodes.isEmpty() ? "" : subcodes.get(0);
    }

    /** @return the reason text */
    public String reason() {
        return reason;
    }

    /**
     * Whether the device refused the credentials ({@code ter:NotAuthorized} anywhere in the chain, also the
     * spelling {@code FailedAuthentication} of WS-Security).
     *
     * @return true for an authentication fault
     */
    @Override
    public boolean isAuthenticationFailure() {
        for (String s : subcodes) {
            if (s.equalsIgnoreCase("NotAuthorized") || s.equalsIgnoreCase("FailedAuthentication")) {
                return true;
            }
        }
        return code.equalsIgnoreCase("NotAuthorized") || code.equalsIgnoreCase("FailedAuthentication");
    }

    /**
     * Whether a subcode with this local name is in the chain.
     *
     * @param localName e.g. {@code NoProfile}
     * @return true if present
     */
    public boolean hasSubcode(String localName) {
        return subcodes.stream().anyMatch(s -> s.equals(localName));
    }
}
