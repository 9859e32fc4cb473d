package org.arc4j.core.pipeline;

import java.time.Instant;
import java.util.Objects;
import org.arc4j.core.sla.ForwardChannel;

/**
 * One forwarding of a case (GA 1383 警情转发) and how far it got.
 *
 * @param recipient   who it went to, e.g. {@code police-110}
 * @param channel     the channel, which decides its limit
 * @param police      true when the recipient is the police (the case is then kept forever)
 * @param automatic   true when a rule forwarded it, false for an operator
 * @param startedAt   when forwarding started
 * @param deliveredAt when the recipient's system accepted it, or null
 * @param confirmedAt when an operator confirmed the recipient received it, or null
 * @param checkedAt   for police, when an operator checked by hand that police received it, or null
 */
public record Forward(String recipient, ForwardChannel channel, boolean police, boolean automatic, Instant startedAt,
                      Instant deliveredAt, Instant confirmedAt, Instant checkedAt) {
    /** Validates the parts. */
    public Forward {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
