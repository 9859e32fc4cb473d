package org.arc4j.protocols.contactid;

/**
 * A message of one of the Ademco DTMF formats that came before Contact ID and share its line protocol
 * (handshake 1400 Hz then 2300 Hz, DTMF at about ten digits a second, kissoff 1400 Hz): Express 4+1 and 4+2,
 * and High Speed (also sold as Super Fast). Their event digits have no published meaning beyond the installer's
 * programming, so arc4j decodes them but leaves interpretation to the caller.
 */
public sealed interface AdemcoMessage permits AdemcoExpressMessage, AdemcoHighSpeedMessage {
    /** @return the four-digit account in hex notation */
    String account();

    /** @return every digit of the message, check digit included when the format has one, in hex notation */
    String digits();

    /** @return the same digits as the DTMF keys the panel dials */
    default String dtmf() {
        return ContactIdDigits.hexToKeys(digits());
    }
}
