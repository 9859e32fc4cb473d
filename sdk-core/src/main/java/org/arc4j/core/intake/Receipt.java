package org.arc4j.core.intake;

import java.util.List;
import java.util.Objects;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.EventId;

/**
 * The intake's answer to {@link AlarmIntake#accept}: either the events are durable ({@link Accepted}) and
 * the adapter may acknowledge, or they were {@link Refused} and it must not.
 */
public sealed interface Receipt permits Receipt.Accepted, Receipt.Refused {

    /** @return true for {@link Accepted} */
    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /**
     * The events are durable (or were already, for a retransmission).
     *
     * @param key        the idempotency key
     * @param events     the events with their ids, in the order given; for a duplicate, the events as first
     *                   accepted
     * @param duplicate  true when this key had been accepted before: no new events were made
     * @param positions  the store positions of the events' records, in the same order; empty when not known (a
     *                   duplicate, or an intake without positions)
     */
    record Accepted(IdempotencyKey key, List<AlarmEvent> events, boolean duplicate, List<Long> positions)
            implements Receipt {
        /** Copies the lists. */
        public Accepted {
            Objects.requireNonNull(key, "key");
            events = List.copyOf(events);
            positions = List.copyOf(positions);
            if (!positions.isEmpty() && positions.size() != events.size()) {
                throw new IllegalArgumentException(positions.size() + " positions for " + events.size() + " events");
            }
        }

        /**
         * An acceptance without store positions.
         *
         * @param key       the idempotency key
         * @param events    the events with their ids
         * @param duplicate true for a retransmission
         */
        public Accepted(IdempotencyKey key, List<AlarmEvent> events, boolean duplicate) {
            this(key, events, duplicate, List.of());
        }

        /**
         * @param index an index into {@link #events()}
         * @return the store position of that event's record, or 0 when not known
         */
        public long position(int index) {
            return positions.isEmpty() ? 0 : positions.get(index);
        }

        /** @return the ids of the events, in order */
        public List<EventId> eventIds() {
            return events.stream().map(AlarmEvent::id).toList();
        }

        /**
         * For a retransmission, the id of the first event of the original acceptance.
         *
         * @return that id, or null when this is not a duplicate
         */
        public EventId duplicateOf() {
            return duplicate && !events.isEmpty() ? events.get(0).id() : null;
        }
    }

    /**
     * The events were not accepted; nothing of them is stored.
     *
     * @param reason why
     * @param detail a human-readable detail (never containing secrets)
     */
    record Refused(RefusalReason reason, String detail) implements Receipt {
        /** Validates the reason. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            detail = detail == null ? "" : detail;
        }
    }
}
