package org.arc4j.media.buffer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The last seconds of one channel's video, audio or pictures, so that an operator can play what happened before
 * an alarm (GA 1383 报警复核: a 10–30 s pre-record, from any chosen point) and a clip can start before it.
 *
 * <p>Video is kept in whole groups of pictures: a group starts at a key frame, frames before the first key frame
 * are not kept (nothing could decode them), and a read from any instant starts at the key frame at or before
 * it, so every read starts decodable. The buffer holds at least {@code depth} behind its newest frame: the oldest
 * group is dropped only when the group after it still starts {@code depth} or more before the newest frame. For
 * audio and pictures every frame is a key frame, so the depth is exact.
 *
 * <p>Memory is charged to a shared {@link BufferBudget}; over budget the buffer drops its own oldest group early
 * (never the newest, never the last one), counted as an overrun.
 *
 * <p>Thread-safe: one writer (the channel's receive path) and any number of readers; reads return copies of the
 * frame list, not of the frames' bytes.
 */
public final class PreAlarmBuffer {
    /** The shortest pre-record GA 1383 allows. */
    public static final Duration MIN_DEPTH = Duration.ofSeconds(10);
    /** The longest pre-record GA 1383 asks for. */
    public static final Duration MAX_DEPTH = Duration.ofSeconds(30);

    private final String channel;
    private final Duration depth;
    private final BufferBudget budget;
    private final ArrayDeque<List<BufferedFrame>> groups = new ArrayDeque<>();
    private long bytes;
    private long frames;

    /**
     * @param channel the channel's name, for the log
     * @param depth   how far back it keeps, 10 to 30 s
     * @param budget  the shared budget
     */
    public PreAlarmBuffer(String channel, Duration depth, BufferBudget budget) {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (depth.compareTo(MIN_DEPTH) < 0 || depth.compareTo(MAX_DEPTH) > 0) {
            throw new IllegalArgumentException("pre-record depth must be 10 to 30 s (GA 1383): " + depth);
        }
        this.depth = depth;
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** @return the configured depth */
    public Duration depth() {
        return depth;
    }

    /**
     * Adds the newest frame. A frame older than the newest one kept is taken as it comes (streams are in order
     * after the reorder buffer); a non-key frame before any key frame is dropped.
     *
     * @param frame the frame
     * @return true if kept
     */
    public synchronized boolean add(BufferedFrame frame) {
        if (frame.key()) {
            groups.addLast(new ArrayList<>());
        } else if (groups.isEmpty()) {
            return false;
        }
        groups.peekLast().add(frame);
        bytes += frame.bytes().length;
        frames++;
        budget.add(frame.bytes().length);
        trim(frame.at());
        while (budget.over() && groups.size() > 1) {
            budget.overrun(channel, frame.at().toEpochMilli());
            dropOldest();
        }
        return true;
    }

    private void trim(Instant newest) {
        Instant keepFrom = newest.minus(depth);
        while (groups.size() > 1) {
            Iterator<List<BufferedFrame>> it = groups.iterator();
            it.next();
            Instant secondStart = it.next().get(0).at();
            if (secondStart.isAfter(keepFrom)) {
                return;
            }
            dropOldest();
        }
    }

    private void dropOldest() {
        List<BufferedFrame> g = groups.pollFirst();
        long b = 0;
        for (BufferedFrame f : g) {
            b += f.bytes().length;
        }
        bytes -= b;
        frames -= g.size();
        budget.release(b);
    }

    /** @return the bytes held */
    public synchronized long bytes() {
        return bytes;
    }

    /** @return the frames held */
    public synchronized long frames() {
        return frames;
    }

    /** @return the time of the oldest frame held, or null when empty */
    public synchronized Instant oldest() {
        return groups.isEmpty() ? null : groups.peekFirst().get(0).at();
    }

    /** @return the time of the newest frame held, or null when empty */
    public synchronized Instant newest() {
        if (groups.isEmpty()) {
            return null;
        }
        List<BufferedFrame> last = groups.peekLast();
        return last.get(last.size() - 1).at();
    }

    /**
     * The frames from a chosen point to the newest, starting at the key frame at or before it (or the oldest
     * frame, if the point is older than what is held).
     *
     * @param from the chosen point
     * @return the frames in order, empty when nothing is held
     */
    public synchronized List<BufferedFrame> readFrom(Instant from) {
        // every group starts at a key frame (audio frames and pictures are groups of one)
        ArrayDeque<List<BufferedFrame>> tail = new ArrayDeque<>();
        Iterator<List<BufferedFrame>> it = groups.descendingIterator();
        while (it.hasNext()) {
            List<BufferedFrame> g = it.next();
            tail.addFirst(g);
            if (!g.get(0).at().isAfter(from)) {
                break;
            }
        }
        List<BufferedFrame> out = new ArrayList<>();
        for (List<BufferedFrame> g : tail) {
            out.addAll(g);
        }
        return out;
    }

    /** Empties the buffer and gives its bytes back to the budget. */
    public synchronized void clear() {
        while (!groups.isEmpty()) {
            dropOldest();
        }
    }
}
