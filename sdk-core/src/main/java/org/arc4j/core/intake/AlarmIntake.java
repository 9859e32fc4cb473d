package org.arc4j.core.intake;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.event.AlarmEvent;

/**
 * Where every protocol adapter hands over what it decoded, and the rule that makes arc4j lose nothing it
 * acknowledged: <b>an adapter acknowledges a message (DC-09 ACK, Contact ID kissoff, SIP 200) only after
 * the receipt for its events completed as {@link Receipt.Accepted}</b>.
 *
 * <ul>
 *   <li>All events of one message are accepted atomically: all durable or none.</li>
 *   <li>The receipt completes only when the events are durable (in the journal, on disk), with the ids the
 *       intake assigned.</li>
 *   <li>A message whose {@link IdempotencyKey} was accepted before (a retransmission), also before a restart
 *       for durable intakes, gets an {@code Accepted} receipt with {@code duplicate = true} and the original
 *       events; no new event is made.</li>
 *   <li>When the centre cannot take more (its bounded queue is full) the receipt completes at once with
 *       {@link Receipt.Refused} and the adapter stays silent so that the device retries.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe and never block the caller: {@code accept} is called on Netty event
 * loops and returns at once; disk work happens elsewhere. A receipt may complete on another thread.
 * Implementations complete the stage normally in every case (failures are {@code Refused} with
 * {@link RefusalReason#STORE_FAILED}); adapters still treat an exceptional completion as a refusal.
 */
public interface AlarmIntake {
    /**
     * Hands over the events of one message.
     *
     * @param events the events, without ids, at least one
     * @param key    what identifies the message on the wire
     * @return the receipt, completing when the events are durable or refused
     */
    CompletionStage<Receipt> accept(List<AlarmEvent> events, IdempotencyKey key);
}
