package org.arc4j.media.ps;

/** What an MPEG program stream demuxer refused or tolerated (ISO/IEC 13818-1 §2.5, §2.4.3.6). */
public enum PsError {
    /** Bytes that are not part of any pack were skipped up to the next pack start code ({@code 00 00 01 BA}). */
    GARBAGE,
    /** A pack header's marker bits or layout are wrong; skipped to the next pack start code. */
    BAD_PACK_HEADER,
    /** A PES header is malformed (zero length, header longer than the packet, bad flags); skipped. */
    BAD_PES_HEADER,
    /**
     * A pack header, PES packet, map, system header or padding runs past the next pack start code: bytes were lost
     * (a lost or truncated RTP packet) or its length was damaged; skipped to that pack.
     */
    TRUNCATED,
    /** A program stream map's lengths run past it; ignored. */
    BAD_PSM,
    /** A program stream map's CRC is wrong; tolerated (many devices send a wrong or zero CRC) and the map used. */
    PSM_CRC,
    /** A stream has no map entry and its type cannot be guessed from its content; its packets are dropped. */
    UNKNOWN_STREAM,
    /** An access unit, or a NAL unit in it, grew beyond the bound; it is dropped. */
    TOO_LARGE
}
