package org.arc4j.benchmarks.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.CodeSystem;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.event.Ingress;
import org.arc4j.core.event.Protocol;
import org.arc4j.core.event.Qualifier;
import org.arc4j.core.event.Transport;
import org.arc4j.core.intake.IdempotencyKey;
import org.arc4j.core.intake.Receipt;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseAuthorizer;
import org.arc4j.core.store.Durability;
import org.arc4j.core.store.Journal;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.testkit.ManualScheduler;

/**
 * Restart time against the history: fills a journal with N alarms (each its own account, each a case, 99 in 100
 * of them presented, taken, closed and archived) through the intake and the pipeline, then times what a centre does before its first
 * ACK and its console: {@code Journal.open}, {@code StoreAlarmIntake.open}, the customer directory, the supervisor
 * and {@code AlarmPipeline.recover}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.arc4j.benchmarks.journal.RestartHarness fill DIR N [kill]
 * java -cp benchmarks/target/benchmarks.jar org.arc4j.benchmarks.journal.RestartHarness open DIR [background]
 * </pre>
 * {@code open ... background} opens the journal with {@code indexInBackground(true)}, as the reference centre does:
 * the query index loads while the intake already accepts. Either way the harness then times the first ACK (one new
 * alarm accepted, durable) and, with {@code background}, when the index was ready.
 * {@code fill ... kill} ends the filling JVM with {@code Runtime.halt} instead of closing: what SIGKILL leaves
 * (records in the OS's page cache, nothing saved on close).
 */
public final class RestartHarness {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private RestartHarness() {
    }

    /**
     * @param args {@code fill DIR N [kill]} or {@code open DIR [background]}
     * @throws Exception if the journal fails
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("fill")) {
            fill(dir, Integer.parseInt(args[2]), args.length > 3 && args[3].equals("kill"));
        } else {
            open(dir, args.length > 2 && args[2].equals("background"));
        }
    }

    private static void fill(Path dir, int n, boolean kill) throws Exception {
        if (Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " exists");
        }
        ManualScheduler scheduler = new ManualScheduler(T0);
        Journal journal = Journal.builder(dir).durability(Durability.OS_BUFFERED).open();
        StoreAlarmIntake intake = StoreAlarmIntake.open(journal, scheduler.clock(),
                new EventIdGenerator(scheduler.clock()), 100_000, Duration.ofHours(24));
        AlarmPipeline pipeline = AlarmPipeline.builder(journal, scheduler).authorizer(CaseAuthorizer.ALLOW_ALL)
                .expectedOpenCases(n / 8).build();
        intake.addListener(pipeline::onAccepted);
        long t = System.nanoTime();
        int batch = 1000;
        java.util.Set<String> handled = new java.util.HashSet<>();
        for (int from = 0; from < n; from += batch) {
            List<CompletableFuture<?>> waits = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + batch); i++) {
                String account = Integer.toString(100_000 + i);
                AlarmEvent e = AlarmEvent.builder().receiver("R1").line("L1").account(account)
                        .protocol(Protocol.DC09_SIA_DCS).transport(Transport.IP)
                        .ingress(new Ingress("bench", "10.0.0.1:5000")).code(CodeSystem.SIA, "BA")
                        .qualifier(Qualifier.NEW_EVENT).category(Category.INTRUSION).zone("001")
                        .receivedAt(scheduler.now()).build();
                waits.add(intake.accept(List.of(e), IdempotencyKey.of("bench", account, "1")).toCompletableFuture());
            }
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
            waits.clear();
            List<String> ids = new ArrayList<>();
            for (String id : pipeline.caseIds()) {
                if (handled.add(id) && Math.floorMod(id.hashCode(), 100) != 0) {
                    ids.add(id); // one in a hundred stays open
                }
            }
            for (String id : ids) {
                waits.add(pipeline.present(id, "console1").toCompletableFuture());
                waits.add(pipeline.take(id, "op1").toCompletableFuture());
                waits.add(pipeline.close(id, "op1", "handled").toCompletableFuture());
            }
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
            for (String id : ids) {
                waits.add(pipeline.archive(id, "op1").toCompletableFuture());
            }
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
            waits.clear();
            scheduler.advance(Duration.ofMillis(50));
            if ((from / batch) % 100 == 0) {
                System.out.printf("%,d alarms, %,d records, %.1f s%n", from + batch, journal.nextPosition() - 1,
                        (System.nanoTime() - t) / 1e9);
            }
        }
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
                bytes += Files.size(p);
            }
        }
        System.out.printf("filled: %,d alarms, %,d records, %,d bytes of segments (%.0f bytes per alarm), %.1f s%n",
                n, journal.nextPosition() - 1, bytes, (double) bytes / n, (System.nanoTime() - t) / 1e9);
        if (kill) {
            Runtime.getRuntime().halt(0);
        }
        pipeline.close();
        intake.close();
        journal.close();
    }

    private static void open(Path dir, boolean background) {
        // two days after the alarms: they have left the intake's 24-hour dedupe window, as most of a long history has
        ManualScheduler scheduler = new ManualScheduler(T0.plus(Duration.ofDays(2)));
        long t0 = System.nanoTime();
        Journal journal = Journal.builder(dir).durability(Durability.FORCED).indexInBackground(background).open();
        long t1 = System.nanoTime();
        StoreAlarmIntake intake = StoreAlarmIntake.open(journal, scheduler.clock(),
                new EventIdGenerator(scheduler.clock()), 100_000, Duration.ofHours(24));
        long t2 = System.nanoTime();
        CustomerDirectory directory = CustomerDirectory.open(journal, scheduler.clock());
        JournalledSupervisor supervisor = JournalledSupervisor.open(journal, scheduler);
        long t3 = System.nanoTime();
        AlarmPipeline pipeline = AlarmPipeline.builder(journal, scheduler).authorizer(CaseAuthorizer.ALLOW_ALL)
                .directory(directory).supervisor(supervisor).build();
        int open = pipeline.recover();
        intake.addListener(pipeline::onAccepted);
        long t4 = System.nanoTime();
        AlarmEvent first = AlarmEvent.builder().receiver("R1").line("L1").account("999999")
                .protocol(Protocol.DC09_SIA_DCS).transport(Transport.IP)
                .ingress(new Ingress("bench", "10.0.0.1:5000")).code(CodeSystem.SIA, "BA")
                .qualifier(Qualifier.NEW_EVENT).category(Category.INTRUSION).zone("001")
                .receivedAt(scheduler.now()).build();
        Receipt ack = intake.accept(List.of(first), IdempotencyKey.of("bench", "999999", "restart"))
                .toCompletableFuture().join();
        long t5 = System.nanoTime();
        journal.casesIn("CLOSED"); // waits for the query index when it loads in the background
        long t6 = System.nanoTime();
        System.out.printf("first ACK (%s) after %.2f s; query index %s after %.2f s%n", ack.getClass().getSimpleName(),
                (t5 - t0) / 1e9, journal.indexState(), (t6 - t0) / 1e9);
        System.out.printf("records %,d; index %s; Journal.open %.2f s, intake %.2f s, directory+supervisor %.2f s, "
                        + "pipeline.recover %.2f s (%,d open cases); ready after %.2f s%n",
                journal.nextPosition() - 1, journal.recoveryReport().index(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9, (t4 - t3) / 1e9, open, (t4 - t0) / 1e9);
        pipeline.close();
        intake.close();
        journal.close();
    }
}
