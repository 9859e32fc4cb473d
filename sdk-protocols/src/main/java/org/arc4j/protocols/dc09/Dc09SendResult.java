package org.arc4j.protocols.dc09;

/**
 * The outcome of one message sent by a {@link Dc09Transmitter}.
 */
public sealed interface Dc09SendResult permits Dc09SendResult.Acknowledged, Dc09SendResult.Failed {

    /** @return true for {@link Acknowledged} */
    default boolean isAcknowledged() {
        return this instanceof Acknowledged;
    }

    /**
     * The receiver acknowledged the message.
     *
     * @param sent     the frame as last sent (with its final timestamp)
     * @param reply    the {@code ACK}
     * @param path     the index of the path that carried it (0 = primary)
     * @param attempts how many times it was sent in all
     */
    record Acknowledged(Dc09Frame sent, Dc09Frame reply, int path, int attempts) implements Dc09SendResult {
    }

    /**
     * No path acknowledged the message.
     *
     * @param sent     the frame as last sent
     * @param reason   why: every path timed out or failed, or the receiver answered {@code DUH}
     * @param reply    the last reply that ended it ({@code DUH}), or null
     * @param attempts how many times it was sent in all
     */
    record Failed(Dc09Frame sent, String reason, Dc09Frame reply, int attempts) implements Dc09SendResult {
    }
}
