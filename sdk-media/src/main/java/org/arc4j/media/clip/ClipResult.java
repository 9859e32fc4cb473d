package org.arc4j.media.clip;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** How an alarm clip ended: recorded whole and stored, or a typed failure with what is left of it. */
public sealed interface ClipResult {
    /**
     * The clip is on disk, forced, and its {@code CLIP} record is durable in the store.
     *
     * @param clip     what was stored
     * @param file     the file
     * @param position the record's position in the store
     */
    record Recorded(ClipRecord clip, Path file, long position) implements ClipResult {
        /** Validates presence. */
        public Recorded {
            Objects.requireNonNull(clip, "clip");
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * The clip is not whole. For {@link ClipFailure#WRITE_FAILED} and {@link ClipFailure#WRITER_BEHIND} the partial
     * file stays (a fragmented MP4 plays up to its last whole fragment) and {@code partial} is its record, stored
     * with {@code complete=false} when the store took it; the centre should add a case note.
     *
     * @param reason  why
     * @param detail  a message for the note and the log (e.g. the I/O error)
     * @param file    the file that was (or was to be) written
     * @param partial the record of what is on disk, when something is
     */
    record Failed(ClipFailure reason, String detail, Path file, Optional<ClipRecord> partial) implements ClipResult {
        /** Validates presence. */
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(partial, "partial");
        }
    }
}
