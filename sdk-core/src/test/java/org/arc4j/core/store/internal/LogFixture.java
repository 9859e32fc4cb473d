package org.arc4j.core.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.arc4j.core.testkit.ChannelOpener;
import org.arc4j.core.store.NewRecord;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;

/** Builds segment logs for the unit tests of the journal's parts, without the writer threads. */
final class LogFixture {
    static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

    private LogFixture() {
    }

    /** Recovers (creating) a log in {@code dir}. */
    static SegmentLog open(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            SegmentLog log = new SegmentLog(dir, ChannelOpener.DEFAULT);
            Recovery.recover(log);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NewRecord rec(RecordType type, Instant at, String subject, String payload) {
        return new NewRecord(type, 1, at, subject, payload.getBytes(StandardCharsets.UTF_8));
    }

    static NewRecord rec(String payload) {
        return rec(RecordType.AUDIT, T0, "s", payload);
    }

    /**
     * Writes one single-record append at the active segment's end and registers it there, as the writer and the
     * forcer do; it is readable (and its bytes count in the segment's size) once {@link #publish}ed.
     */
    static void put(SegmentLog log, long position, NewRecord r) {
        byte[] subject = r.subject().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(Frames.frameSize(subject, r.payload().length));
        Frames.encode(b, r, subject, position, true, false);
        b.flip();
        long offset = log.activeEnd();
        int length = b.remaining();
        try {
            log.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.active().add(position, offset, length);
    }

    /** Makes what was put durable and visible up to {@code next}, as the forcer does after its force. */
    static void publish(SegmentLog log, long next) {
        log.active().size(log.activeEnd());
        log.publish(next);
    }

    /** Rotates as the writer does, the sealed segment's size set to what was written to it. */
    static void rotate(SegmentLog log, long next) {
        log.active().size(log.activeEnd());
        try {
            log.rotate(next);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code payloads} at consecutive positions from {@code from} and publishes them. */
    static void putAll(SegmentLog log, long from, String... payloads) {
        for (int i = 0; i < payloads.length; i++) {
            put(log, from + i, rec(payloads[i]));
        }
        publish(log, from + payloads.length);
    }

    static String text(StoredRecord r) {
        return new String(r.payload(), StandardCharsets.UTF_8);
    }
}
