package org.arc4j.protocols.contactid;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.Qualifier;

/**
 * Turns the older Ademco formats into {@link AlarmEvent}s ({@link CodeSystem#ADEMCO_LEGACY}), so that a
 * panel still reporting in them is received like any other and never dropped.
 *
 * <ul>
 *   <li><b>Express 4+1 / 4+2</b>: one event whose code is the event digit(s) as sent. What a code means is
 *       programmed in each panel, so the category is {@link Category#UNKNOWN_CODE}: urgent until an operator
 *       has looked, as every unknown code. Integrators who know an installation's programming can re-classify
 *       downstream.</li>
 *   <li><b>High Speed</b>: one event per channel that reports something (channel digit 1 new event, 2 opening,
 *       3 restore, 4 closing, 6 previously reported; 5 is "normal" and makes none). The code is
 *       {@code status/channel} and the category follows the status digit: 1 duress → emergency, 2 and 4
 *       openings and closings (channel 1 carries the user number), 3 bypass, 5 trouble → device fault, 6 system
 *       status → other, 7 alarm and anything else → unknown code.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class AdemcoEvents {
    /** The one instance. */
    public static final AdemcoEvents INSTANCE = new AdemcoEvents();

    private AdemcoEvents() {
    }

    /**
     * The events a message reports.
     *
     * @param message    the message
     * @param origin     where it came from
     * @param receivedAt when its last digit arrived, on the centre's clock
     * @return the events, without ids; empty only for a High Speed message whose channels are all normal
     */
    public List<AlarmEvent> toEvents(AdemcoMessage message, ContactIdOrigin origin, Instant receivedAt) {
        byte[] raw = message.digits().getBytes(StandardCharsets.US_ASCII);
        if (message instanceof AdemcoExpressMessage x) {
            return List.of(base(x.account(), origin, receivedAt, raw)
                    .code(CodeSystem.ADEMCO_LEGACY, x.event())
                    .qualifier(Qualifier.NEW_EVENT)
                    .category(Category.UNKNOWN_CODE)
                    .description("Ademco Express " + (x.format() == AdemcoExpressMessage.Format.FOUR_PLUS_ONE
                            ? "4+1" : "4+2") + " report code " + x.event())
                    .build());
        }
        AdemcoHighSpeedMessage h = (AdemcoHighSpeedMessage) message;
        int status = ContactIdDigits.hexValue(h.status());
        Category category = switch (status) {
            case 1 -> Category.EMERGENCY;
            case 2, 4 -> Category.OPEN_CLOSE;
            case 3 -> Category.BYPASS;
            case 5 -> Category.DEVICE_FAULT;
            case 6 -> Category.OTHER;
            default -> Category.UNKNOWN_CODE;
        };
        if (status == 2 || status == 4) {
            // an opening or closing: channel 1 carries the user number; as in Contact ID, opening is a new
            // event and closing a restore
            return List.of(base(h.account(), origin, receivedAt, raw)
                    .code(CodeSystem.ADEMCO_LEGACY, ContactIdDigits.hexChar(status) + "/1")
                    .qualifier(status == 2 ? Qualifier.NEW_EVENT : Qualifier.RESTORE)
                    .category(category)
                    .zone(Integer.toString(h.channel(1)))
                    .description("Ademco High Speed " + (status == 2 ? "opening" : "closing") + " by user "
                            + h.channel(1))
                    .build());
        }
        List<AlarmEvent> out = new ArrayList<>();
        for (int ch = 1; ch <= 8; ch++) {
            int v = h.channel(ch);
            Qualifier q = switch (v) {
                case 1, 2 -> Qualifier.NEW_EVENT;
                case 3, 4 -> Qualifier.RESTORE;
                case 6 -> Qualifier.PREVIOUSLY_REPORTED;
                default -> null;
            };
            if (q == null) {
                continue;
            }
            AlarmEvent.Builder b = base(h.account(), origin, receivedAt, raw)
                    .code(CodeSystem.ADEMCO_LEGACY, ContactIdDigits.hexChar(status) + "/" + ch)
                    .qualifier(q)
                    .category(category)
                    .description("Ademco High Speed status " + ContactIdDigits.hexChar(status) + ", channel " + ch);
            out.add(b.zone(Integer.toString(ch)).build());
        }
        return out;
    }

    private static AlarmEvent.Builder base(String account, ContactIdOrigin origin, Instant receivedAt, byte[] raw) {
        return AlarmEvent.builder()
                .account(account)
                .receiver(origin.receiver())
                .line(origin.line())
                .protocol(origin.protocol())
                .transport(origin.transport())
                .ingress(origin.ingress())
                .link(origin.link())
                .receivedAt(receivedAt)
                .raw(raw);
    }
}
