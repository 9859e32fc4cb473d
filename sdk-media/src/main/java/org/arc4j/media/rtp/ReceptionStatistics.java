package org.arc4j.media.rtp;

/**
 * What a receiver has counted about one RTP source (RFC 3550 §6.4.1, Appendix A.3 and A.8): the figures an RTCP
 * receiver report block carries, and the reorder buffer's own accounting. Immutable snapshot.
 *
 * @param ssrc                    the source counted
 * @param extendedHighestSequence the highest sequence number received, with the wrap count in the high bits
 * @param expected                packets expected since the first (highest - first + 1)
 * @param received                distinct packets received, late ones included, duplicates not
 * @param cumulativeLost          {@code expected - received}; negative when late duplicates outnumber losses
 * @param fractionLost            losses in the last reporting interval, in 1/256 (0..255); 0 when not an interval
 *                                report
 * @param jitter                  interarrival jitter (A.8), in timestamp units
 * @param late                    packets that arrived after their place had been given up as lost
 * @param duplicates              packets received more than once
 * @param discarded               packets rejected as far outside the sequence (a source restart on probation)
 */
public record ReceptionStatistics(long ssrc, long extendedHighestSequence, long expected, long received,
                                  long cumulativeLost, int fractionLost, double jitter, long late, long duplicates,
                                  long discarded) {
}
