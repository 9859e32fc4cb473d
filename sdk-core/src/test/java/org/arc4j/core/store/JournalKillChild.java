package org.arc4j.core.store;

import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32C;

/**
 * The child process of {@link JournalKillTest}: opens the journal and appends forever, singles and atomic batches
 * of three, up to 256 in flight, printing {@code ACK run seq position...} once each is acknowledged. The parent
 * kills it with SIGKILL at a random moment.
 */
public final class JournalKillChild {
    private JournalKillChild() {
    }

    /**
     * The payload of record {@code seq} of run {@code run}, with its own CRC32C so that a corrupt record is
     * recognised.
     *
     * @param run the run
     * @param seq the sequence number
     * @param part the part of a batch, or -1 for a single record
     * @return the payload text
     */
    public static String payload(int run, long seq, int part) {
        String body = run + ":" + seq + ":" + part + ":" + "x".repeat((int) (seq % 97));
        CRC32C c = new CRC32C();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return body + ":" + Long.toHexString(c.getValue());
    }

    /**
     * @param args journal directory, run number
     * @throws Exception if the journal fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        PrintStream out = newOut();
        Semaphore inFlight = new Semaphore(256);
        Instant at = Instant.parse("2026-11-24T00:00:00Z");
        try (Journal j = Journal.builder(dir).segmentBytes(64 * 1024).open()) {
            out.println("OPEN " + j.nextPosition());
            out.flush();
            for (long seq = 0; ; seq++) {
                inFlight.acquire();
                final long s = seq;
                if (seq % 5 == 4) {
                    List<NewRecord> batch = List.of(rec(at, payload(run, s, 0)), rec(at, payload(run, s, 1)),
                            rec(at, payload(run, s, 2)));
                    j.appendAll(batch).whenComplete((ps, err) -> {
                        inFlight.release();
                        if (err == null) {
                            ack(out, run + " " + s + " " + ps.get(0) + " " + ps.get(1) + " " + ps.get(2));
                        }
                    });
                } else {
                    j.append(rec(at, payload(run, s, -1))).whenComplete((p, err) -> {
                        inFlight.release();
                        if (err == null) {
                            ack(out, run + " " + s + " " + p);
                        }
                    });
                }
            }
        }
    }

    private static PrintStream newOut() throws UnsupportedEncodingException {
        return new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
    }

    private static synchronized void ack(PrintStream out, String line) {
        out.println("ACK " + line);
        out.flush();
    }

    private static NewRecord rec(Instant at, String payload) {
        return new NewRecord(RecordType.EVENT, 1, at, "kill", payload.getBytes(StandardCharsets.UTF_8));
    }
}
