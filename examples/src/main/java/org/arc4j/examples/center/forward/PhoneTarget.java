package org.arc4j.examples.center.forward;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arc4j.core.sla.ForwardChannel;

/**
 * A forward by telephone (GA 1383 警情转发: by phone within 2 min): nothing is sent; the console tells the operator
 * the number to call, and the operator's "confirm forward" is the delivery, timed against the phone limit.
 * Thread-safe.
 */
public final class PhoneTarget implements ForwardTarget {
    private final String name;
    private final String number;

    /**
     * @param name   the recipient's name
     * @param number the number to call
     */
    public PhoneTarget(String name, String number) {
        this.name = Objects.requireNonNull(name, "name");
        this.number = number == null ? "" : number;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ForwardChannel channel() {
        return ForwardChannel.PHONE;
    }

    @Override
    public CompletionStage<ForwardOutcome> deliver(ForwardRequest request) {
        return CompletableFuture.completedFuture(new ForwardOutcome.Manual("call " + name
                + (number.isEmpty() ? "" : " on " + number) + ", then confirm the forward"));
    }
}
