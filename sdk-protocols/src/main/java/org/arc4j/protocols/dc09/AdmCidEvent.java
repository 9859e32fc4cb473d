package org.arc4j.protocols.dc09;

import java.util.Objects;

/**
 * One Contact ID event in an {@code ADM-CID} frame's data, {@code QEEE GG ZZZ} (DC-09 §5.5.1.7 with SIA DC-05
 * Contact ID fields).
 *
 * @param qualifier the qualifier digit: 1 new event or opening, 3 restore or closing, 6 previously reported
 * @param code      the three-digit event code, e.g. {@code 130}
 * @param group     the two-digit group (partition), e.g. {@code 01}
 * @param zone      the three-digit zone or user number, e.g. {@code 003}
 */
public record AdmCidEvent(int qualifier, String code, String group, String zone) {
    /** Validates the parts. */
    public AdmCidEvent {
        if (qualifier != 1 && qualifier != 3 && qualifier != 6) {
            throw new IllegalArgumentException("Contact ID qualifier must be 1, 3 or 6: " + qualifier);
        }
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(zone, "zone");
    }
}
