package org.arc4j.media.clip;

/** Why an alarm clip was not recorded whole. */
public enum ClipFailure {
    /** Writing the file failed (disk full, I/O error): what was written before is kept and reported. */
    WRITE_FAILED,
    /** No key frame arrived before the clip ended: nothing decodable to write, no file is kept. */
    NO_VIDEO,
    /** The stream's parameter sets were missing or did not parse: no file is kept. */
    BAD_STREAM,
    /** The writer fell further behind the stream than its queue allows: what was written is kept. */
    WRITER_BEHIND,
    /** The file was written but the store did not take its {@code CLIP} record. */
    STORE_FAILED
}
