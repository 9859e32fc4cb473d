package org.arc4j.examples.center.forward;

/** What one delivery attempt of a {@link ForwardTarget} came to. */
public sealed interface ForwardOutcome {
    /** The recipient's system accepted the forward: the forwarding step ends. */
    record Delivered() implements ForwardOutcome {
    }

    /**
     * Not delivered this time (the recipient is down, answered an error, or has not fetched it yet): the forwarder
     * tries again later.
     *
     * @param reason why, for the log and the console
     */
    record Failed(String reason) implements ForwardOutcome {
    }

    /**
     * Delivered by a person (a phone call): the operator confirms it; nothing is retried.
     *
     * @param instruction what the operator must do, e.g. the number to call
     */
    record Manual(String instruction) implements ForwardOutcome {
    }
}
