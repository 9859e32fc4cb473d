package org.arc4j.core.store;

import java.time.Instant;

/**
 * What one compaction did. Immutable.
 *
 * @param at                the centre time the retention was judged at
 * @param segmentsRewritten sealed segments rewritten without their expired records
 * @param segmentsDeleted   sealed segments deleted because nothing in them was still kept
 * @param recordsRemoved    records removed
 * @param recordsKept       records kept in the segments examined
 * @param bytesFreed        bytes of disk freed
 */
public record CompactionReport(Instant at, int segmentsRewritten, int segmentsDeleted, long recordsRemoved,
                               long recordsKept, long bytesFreed) {
}
