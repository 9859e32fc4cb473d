package org.arc4j.protocols.dc09;

import java.util.List;

/**
 * The data of a {@code SIA-DCS} frame (DC-09 §5.5.1.7 with SIA DC-03/DC-04 data): the account of the data
 * block and its events in order, several of which may be chained with {@code /}; each becomes its own
 * {@code AlarmEvent}, all accepted together.
 *
 * @param account the account inside the data block ({@code #acct|}), or null when there is none or it is empty
 * @param events  the events, at least one for a report
 * @param texts   the ASCII text blocks ({@code |A…}) in order
 */
public record SiaDcsData(String account, List<SiaEvent> events, List<String> texts) {
    /** Copies the lists. */
    public SiaDcsData {
        events = List.copyOf(events);
        texts = List.copyOf(texts);
    }
}
