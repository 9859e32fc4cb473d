package org.arc4j.protocols.dc09;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.arc4j.core.codes.CodeTable;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.testkit.InMemoryAlarmIntake;
import org.arc4j.core.metrics.SimpleMetrics;
import org.arc4j.core.testkit.InMemorySupervisor;
import org.arc4j.core.testkit.ManualScheduler;
import org.arc4j.core.testkit.Await;

/** A receiver on loopback with in-memory collaborators, virtual time and small code tables. */
final class ReceiverFixture implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-11-24T08:00:00Z");

    final ManualScheduler scheduler = new ManualScheduler(NOW);
    final InMemoryAlarmIntake intake;
    final InMemoryCredentialStore keys = new InMemoryCredentialStore();
    final InMemorySupervisor supervisor = new InMemorySupervisor(scheduler);
    final SimpleMetrics metrics = new SimpleMetrics();
    final List<String> trace = new ArrayList<>();
    final Dc09Receiver receiver;
    final List<RawClient> clients = new ArrayList<>();

    ReceiverFixture() {
        this(new InMemoryAlarmIntake(new ManualScheduler(NOW).clock()), b -> b);
    }

    ReceiverFixture(UnaryOperator<Dc09Receiver.Builder> configure) {
        this(null, configure);
    }

    ReceiverFixture(InMemoryAlarmIntake given, UnaryOperator<Dc09Receiver.Builder> configure) {
        this.intake = given != null ? given : new InMemoryAlarmIntake(scheduler.clock());
        Dc09Receiver.Builder b = Dc09Receiver.builder(intake, keys, supervisor, scheduler)
                .tcp(new InetSocketAddress("127.0.0.1", 0))
                .udp(new InetSocketAddress("127.0.0.1", 0))
                .metrics(metrics)
                .threads(2)
                .codeTable(table(CodeSystem.SIA, "/codes/sia-test.tsv"))
                .codeTable(table(CodeSystem.CONTACT_ID, "/codes/contactid-test.tsv"))
                .trace(a -> true, t -> {
                    synchronized (trace) {
                        trace.add(t);
                    }
                });
        receiver = configure.apply(b).build();
        try {
            receiver.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static CodeTable table(CodeSystem system, String resource) {
        try (InputStream in = ReceiverFixture.class.getResourceAsStream(resource)) {
            return CodeTable.load(system, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress tcp() {
        return new InetSocketAddress("127.0.0.1", receiver.tcpPort());
    }

    InetSocketAddress udp() {
        return new InetSocketAddress("127.0.0.1", receiver.udpPort());
    }

    RawClient client(String transport) {
        RawClient c = RawClient.of(transport, tcp(), udp());
        clients.add(c);
        return c;
    }

    long count(String name, String... tags) {
        return metrics.counter(name, tags).count();
    }

    /** Waits (bounded, real time) until the intake holds n events. */
    void awaitEvents(int n) {
        Await.until(Duration.ofSeconds(10), () -> intake.events().size() >= n,
                () -> n + " events at the intake, got " + intake.events());
    }

    @Override
    public void close() {
        for (RawClient c : clients) {
            c.close();
        }
        receiver.close();
    }
}
