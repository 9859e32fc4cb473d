package org.arc4j.examples.center.forward;

import java.util.concurrent.CompletionStage;
import org.arc4j.core.sla.ForwardChannel;

/**
 * Where forwarded alarms go (GA 1383 警情转发): a third-party system's webhook ({@link WebhookTarget}), a police or
 * customer terminal that fetches its queue ({@link TerminalQueueTarget}), or a phone an operator calls
 * ({@link PhoneTarget}). The {@link Forwarder} journals every forward before the first attempt, retries a failed
 * one with back-off until it is delivered, and reports the delivery to the pipeline, which stops the forwarding
 * step's clock against its limit.
 *
 * <p>Implementations are thread-safe; {@link #deliver} must not block (it runs on the forwarder's thread).
 */
public interface ForwardTarget {
    /** @return the recipient's name, as forwarding rules and the console's forward action use it */
    String name();

    /** @return the channel its forwards are timed on (IP 4 s, PSTN 20 s, wireless 5 s, phone 2 min) */
    ForwardChannel channel();

    /**
     * Tries to deliver one forward. The same request (same {@link ForwardRequest#id()}) may be delivered again
     * after a failure or a restart; a recipient deduplicates by the id.
     *
     * @param request the forward
     * @return the outcome, never completing exceptionally for the recipient's own failures
     */
    CompletionStage<ForwardOutcome> deliver(ForwardRequest request);
}
