package org.arc4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Category;
import org.arc4j.core.event.EventIdGenerator;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.KeyEncryptionKey;
import org.arc4j.core.store.Journal;
import org.arc4j.core.supervision.JournalledSupervisor;
import org.arc4j.core.time.SystemScheduler;
import org.arc4j.protocols.dc09.Dc09Key;
import org.arc4j.protocols.dc09.Dc09Path;
import org.arc4j.protocols.dc09.Dc09Receiver;
import org.arc4j.protocols.dc09.Dc09SendResult;
import org.arc4j.protocols.dc09.Dc09Transmitter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Receive your first alarm" snippet, run as written except for port 0 instead of 9000, and
 * panels (our transmitter) sending it an alarm over TCP in plain text and one over UDP encrypted with the
 * account's key.
 */
class QuickStartTest {
    @Test
    void theReadmeSnippetReceivesAnAlarm(@TempDir Path data) throws Exception {
        // --- README snippet (port 0 so the test never collides with a running centre; a temporary data
        //     directory; a generated key where the README reads ARC4J_VAULT_KEY) ---
        var scheduler = new SystemScheduler();
        var journal = Journal.open(data.resolve("journal"));         // forced to disk before any ACK
        var intake = StoreAlarmIntake.open(journal, scheduler.clock(), new EventIdGenerator(scheduler.clock()),
                10_000, StoreAlarmIntake.DEFAULT_DEDUPE_WINDOW);
        var keys = CredentialVault.open(data,                                // encrypted at rest
                KeyEncryptionKey.fromEnvironment("ARC4J_VAULT_KEY",
                        java.util.Map.of("ARC4J_VAULT_KEY", KeyEncryptionKey.generate(new SecureRandom()).revealUtf8())));
        keys.put(CredentialKey.of(CredentialKind.DC09_KEY, "1234"),
                 Credential.of(Secret.ofHex("B132A7869014580FF6BDCC4C13F6FBC2")));
        intake.addListener(receipt -> receipt.events().forEach(System.out::println));

        var receiver = Dc09Receiver.builder(intake, keys, JournalledSupervisor.open(journal, scheduler), scheduler)
                .tcp(new InetSocketAddress(0))
                .udp(new InetSocketAddress(0))
                .build();
        receiver.start();          // ACKs each message only after the intake has made its events durable
        // --- end of snippet ---

        List<AlarmEvent> received = new CopyOnWriteArrayList<>();
        intake.addListener(receipt -> received.addAll(receipt.events()));
        try (journal; intake; receiver; scheduler;
             var tcpPanel = Dc09Transmitter.builder(scheduler)
                     .path(Dc09Path.tcp(new InetSocketAddress("127.0.0.1", receiver.tcpPort())))
                     .account("1234").receiver("1").build();
             var udpPanel = Dc09Transmitter.builder(scheduler)
                     .path(Dc09Path.udp(new InetSocketAddress("127.0.0.1", receiver.udpPort())))
                     .account("1234").key(Dc09Key.ofHex("B132A7869014580FF6BDCC4C13F6FBC2")).build()) {
            Dc09SendResult overTcp = tcpPanel.sendSia("#1234|Nri1/BA001").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            // AES-128 with the account's key from the snippet
            Dc09SendResult overUdp = udpPanel.sendContactId("#1234|1130 01 003").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(overTcp.isAcknowledged()).isTrue();
            assertThat(overUdp.isAcknowledged()).isTrue();
            assertThat(((Dc09SendResult.Acknowledged) overUdp).reply().encrypted()).isTrue();
            // the ACK came after the receipt, so the events are already there
            assertThat(received).hasSize(2);
            assertThat(received.get(0).code()).isEqualTo("BA");
            assertThat(received.get(0).category()).isEqualTo(Category.INTRUSION);
            assertThat(received.get(0).zone()).isEqualTo("001");
            assertThat(received.get(1).code()).isEqualTo("130");
            assertThat(received.get(1).category()).isEqualTo(Category.INTRUSION);
            assertThat(received).allSatisfy(e -> assertThat(e.id()).isNotNull());
            // durable: the journal holds both events
            List<String> stored = new java.util.ArrayList<>();
            journal.replay(1, java.util.Set.of(org.arc4j.core.store.RecordType.EVENT), r -> stored.add(r.subject()));
            assertThat(stored).hasSize(2);
        }
    }
}
