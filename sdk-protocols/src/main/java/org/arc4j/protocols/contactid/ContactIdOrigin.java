package org.arc4j.protocols.contactid;

import java.util.Objects;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Transport;

/**
 * Where a Contact ID message came from, as the events made of it record it: the protocol that carried it
 * ({@link Protocol#CONTACT_ID_PSTN} for audio, {@link Protocol#SERIAL_RECEIVER} for a hardware receiver's output),
 * the configured transport (GA 1383 limits depend on it and the message cannot tell), the ingress, the receive
 * link and, for hardware receivers, the receiver and line numbers they report.
 *
 * @param protocol  the protocol
 * @param transport the configured transport
 * @param ingress   the adapter and endpoint
 * @param link      the receive link id, or null for the ingress's text
 * @param receiver  the receiver number as received, or null
 * @param line      the line number as received, or null
 */
public record ContactIdOrigin(Protocol protocol, Transport transport, Ingress ingress, String link,
                              String receiver, String line) {
    /** Validates the required parts. */
    public ContactIdOrigin {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(ingress, "ingress");
    }

    /**
     * A telephone line of a PSTN receiver.
     *
     * @param ingress the adapter and line
     * @return the origin: protocol {@link Protocol#CONTACT_ID_PSTN}, transport {@link Transport#PSTN}
     */
    public static ContactIdOrigin pstn(Ingress ingress) {
        return new ContactIdOrigin(Protocol.CONTACT_ID_PSTN, Transport.PSTN, ingress, null, null, null);
    }

    /**
     * A copy with the receiver and line numbers a hardware receiver reported.
     *
     * @param newReceiver the receiver number
     * @param newLine     the line number
     * @return the copy
     */
    public ContactIdOrigin withReceiverLine(String newReceiver, String newLine) {
        return new ContactIdOrigin(protocol, transport, ingress, link, newReceiver, newLine);
    }
}
