package org.arc4j.examples.center.forward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.sla.ForwardChannel;

/**
 * A police or customer terminal (GA 1383 警情转发 to 公安/用户终端) that fetches the forwards queued for it
 * ({@code GET /api/terminals/{name}/forwards}) and acknowledges each once it has shown it
 * ({@code POST /api/terminals/{name}/forwards/{id}/ack}); the acknowledgement is the delivery. The queue is held in
 * memory; the forwarder's journal puts what was not acknowledged back after a restart. Thread-safe.
 */
public final class TerminalQueueTarget implements ForwardTarget {
    private final String name;
    private final ForwardChannel channel;
    private final Map<String, Waiting> queue = new LinkedHashMap<>();

    private record Waiting(ForwardRequest request, CompletableFuture<ForwardOutcome> outcome) {
    }

    /**
     * @param name    the terminal's name
     * @param channel the channel its forwards are timed on
     */
    public TerminalQueueTarget(String name, ForwardChannel channel) {
        this.name = Objects.requireNonNull(name, "name");
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ForwardChannel channel() {
        return channel;
    }

    /** Queues the forward; the outcome completes when the terminal acknowledges it. */
    @Override
    public synchronized CompletionStage<ForwardOutcome> deliver(ForwardRequest request) {
        Waiting w = queue.get(request.id());
        if (w == null) {
            w = new Waiting(request, new CompletableFuture<>());
            queue.put(request.id(), w);
        }
        return w.outcome();
    }

    /** @return the forwards waiting for the terminal, oldest first */
    public synchronized List<ForwardRequest> pending() {
        List<ForwardRequest> out = new ArrayList<>();
        queue.values().forEach(w -> out.add(w.request()));
        return out;
    }

    /**
     * The terminal acknowledges a forward.
     *
     * @param id the forward's id
     * @return false if no such forward waits
     */
    public boolean acknowledge(String id) {
        Waiting w;
        synchronized (this) {
            w = queue.remove(id);
        }
        if (w == null) {
            return false;
        }
        w.outcome().complete(new ForwardOutcome.Delivered());
        return true;
    }
}
