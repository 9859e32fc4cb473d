package org.arc4j.protocols.dc09;

import java.util.List;

/**
 * The data of an {@code ADM-CID} frame, {@code #acct|QEEE GG ZZZ} (DC-09 §5.5.1.7), possibly several events
 * chained with {@code /}.
 *
 * @param account the account inside the data block, or null when there is none or it is empty
 * @param events  the events, at least one
 */
public record AdmCidData(String account, List<AdmCidEvent> events) {
    /** Copies the list. */
    public AdmCidData {
        events = List.copyOf(events);
    }
}
