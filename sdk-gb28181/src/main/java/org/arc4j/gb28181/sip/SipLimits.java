package org.arc4j.gb28181.sip;

/**
 * Bounds on what the parser reads, so that no input makes it allocate without limit.
 *
 * @param maxMessageBytes the largest message, start line to end of body, in bytes
 * @param maxLineBytes    the longest start or header line, in bytes
 * @param maxHeaders      the most header lines
 */
public record SipLimits(int maxMessageBytes, int maxLineBytes, int maxHeaders) {
    /**
     * Defaults: 256 KiB messages (a large Catalog answer over TCP), 8 KiB lines, 128 headers. Over UDP the
     * datagram size (at most 65,507 bytes of IPv4 payload) bounds a message anyway.
     */
    public static final SipLimits DEFAULT = new SipLimits(256 * 1024, 8 * 1024, 128);

    /** Validates the bounds. */
    public SipLimits {
        if (maxMessageBytes < 64 || maxLineBytes < 32 || maxHeaders < 5) {
            throw new IllegalArgumentException("limits too small");
        }
    }
}
