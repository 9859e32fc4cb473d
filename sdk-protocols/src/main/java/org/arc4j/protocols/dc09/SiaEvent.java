package org.arc4j.protocols.dc09;

import java.util.Objects;

/**
 * One event of a SIA DC-03/DC-04 data block carried in a {@code SIA-DCS} frame (SIA DC-03 data blocks, DC-04
 * event blocks): a two-letter event code with its address and text, and the modifiers in force for it.
 * Values are text exactly as received.
 *
 * @param oldEvent   true in an {@code O} (old event) block, false in an {@code N} (new event) block
 * @param code       the two-letter event code, e.g. {@code BA}
 * @param address    the digits after the code (zone, user, area…), possibly empty, e.g. {@code 0000}
 * @param text       the text between carets {@code ^…^}, without them, or null
 * @param area       the {@code ri} modifier (area, partition), or null
 * @param user       the {@code id} modifier (user number), or null
 * @param peripheral the {@code pi} modifier (peripheral), or null
 * @param time       the {@code ti} modifier ({@code HH:MM} or {@code HH:MM:SS}), or null
 * @param trailing   characters after the address that the grammar does not define, kept for evidence, or null
 */
public record SiaEvent(boolean oldEvent, String code, String address, String text, String area, String user,
                       String peripheral, String time, String trailing) {
    /** Validates the code. */
    public SiaEvent {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(address, "address");
    }
}
