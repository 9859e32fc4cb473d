package org.arc4j.media.rtp;

/**
 * Serial-number arithmetic on RTP sequence numbers (16 bits) and timestamps (32 bits), which wrap around
 * (RFC 3550 §5.1, Appendix A.1; RFC 1982 for the comparison rule). Stateless and thread-safe.
 */
public final class RtpArithmetic {
    /** The only instance. */
    public static final RtpArithmetic INSTANCE = new RtpArithmetic();

    private RtpArithmetic() {
    }

    /**
     * How far {@code b} is ahead of {@code a} on the 16-bit sequence circle.
     *
     * @param a a sequence number, 0..65535
     * @param b a sequence number, 0..65535
     * @return {@code b - a} in -32768..32767 (positive when {@code b} is newer)
     */
    public int sequenceDelta(int a, int b) {
        return (short) (b - a);
    }

    /**
     * Whether {@code b} is newer than {@code a} on the sequence circle.
     *
     * @param a a sequence number
     * @param b a sequence number
     * @return true when {@code b} is ahead of {@code a} by 1..32767
     */
    public boolean sequenceNewer(int a, int b) {
        return sequenceDelta(a, b) > 0;
    }

    /**
     * How far timestamp {@code b} is ahead of {@code a} on the 32-bit timestamp circle.
     *
     * @param a an RTP timestamp, 0..2^32-1
     * @param b an RTP timestamp, 0..2^32-1
     * @return {@code b - a} in -2^31..2^31-1, in the payload's clock units
     */
    public long timestampDelta(long a, long b) {
        return (int) (b - a);
    }

    /**
     * Extends a 16-bit sequence number to a 64-bit one counting the wraps (RFC 3550 A.1 "extended highest
     * sequence number"), choosing the value nearest to a reference already extended.
     *
     * @param reference an extended sequence number near the expected value
     * @param sequence  the 16-bit sequence number received
     * @return the extended sequence number
     */
    public long extendSequence(long reference, int sequence) {
        return reference + sequenceDelta((int) (reference & 0xFFFF), sequence & 0xFFFF);
    }

    /**
     * Extends a 32-bit timestamp to a 64-bit one, nearest to a reference already extended.
     *
     * @param reference an extended timestamp near the expected value
     * @param timestamp the 32-bit RTP timestamp received
     * @return the extended timestamp
     */
    public long extendTimestamp(long reference, long timestamp) {
        return reference + timestampDelta(reference & 0xFFFFFFFFL, timestamp & 0xFFFFFFFFL);
    }
}
