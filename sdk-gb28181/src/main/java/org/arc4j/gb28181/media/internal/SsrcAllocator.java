package org.arc4j.gb28181.media.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * SSRCs as GB/T 28181-2016 Annex F writes them in {@code y=}: ten decimal digits, the first 0 for real-time video
 * and 1 for history (playback, download), the next five the 4th to 8th digits of the SIP domain ID, the last four
 * a sequence 0001–9999 that skips SSRCs still in use. Thread-safe.
 */
public final class SsrcAllocator {
    private static final int SEQUENCES = 9999;

    private final String domainDigits;
    private final Set<String> inUse = new HashSet<>();
    private int next = 1;

    /**
     * An allocator.
     *
     * @param domain the platform's SIP domain ID (10 digits) or its 20-digit ID, whose 4th–8th digits are taken
     */
    public SsrcAllocator(String domain) {
        if (domain == null || domain.length() < 8 || !domain.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("a GB/T 28181 domain ID has at least 8 digits: " + domain);
        }
        this.domainDigits = domain.substring(3, 8);
    }

    /**
     * The next free SSRC.
     *
     * @param history true for playback and download, false for live
     * @return ten digits
     * @throws IllegalStateException when all 9999 of that kind are in use
     */
    public synchronized String allocate(boolean history) {
        for (int tries = 0; tries < SEQUENCES; tries++) {
            int seq = next;
            next = next == SEQUENCES ? 1 : next + 1;
            String ssrc = (history ? "1" : "0") + domainDigits + String.format("%04d", seq);
            if (inUse.add(ssrc)) {
                return ssrc;
            }
        }
        throw new IllegalStateException("all " + SEQUENCES + " SSRCs are in use");
    }

    /**
     * Gives an SSRC back.
     *
     * @param ssrc one from {@link #allocate}
     */
    public synchronized void release(String ssrc) {
        inUse.remove(ssrc);
    }

    /** @return SSRCs in use */
    public synchronized int inUse() {
        return inUse.size();
    }
}
