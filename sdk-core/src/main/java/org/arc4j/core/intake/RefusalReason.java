package org.arc4j.core.intake;

/** Why an intake refused events. In every case the adapter withholds its acknowledgement. */
public enum RefusalReason {
    /** The intake's queue is full: the centre applies backpressure and the device should retry. */
    BACKPRESSURE,
    /** The store could not make the events durable (disk full, I/O error). */
    STORE_FAILED,
    /** The intake is closed (shutting down). */
    CLOSED,
    /** The events were not acceptable (e.g. an empty list). */
    INVALID
}
