package org.arc4j.core.testsupport;

import java.time.Instant;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;

/** Test events, shared with other modules' tests through the sdk-core test jar. */
public final class Events {
    private Events() {
    }

    /**
     * A burglary alarm from account {@code account}, zone {@code zone}, without id.
     *
     * @param account    the account
     * @param zone       the zone
     * @param receivedAt the receive time
     * @return the event
     */
    public static AlarmEvent burglary(String account, String zone, Instant receivedAt) {
        return AlarmEvent.builder()
                .account(account)
                .protocol(Protocol.DC09_SIA_DCS)
                .transport(Transport.IP)
                .ingress(new Ingress("test", "local"))
                .code(CodeSystem.SIA, "BA")
                .qualifier(Qualifier.NEW_EVENT)
                .category(Category.INTRUSION)
                .zone(zone)
                .receivedAt(receivedAt)
                .build();
    }
}
