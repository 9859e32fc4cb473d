package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.arc4j.core.credentials.Credential;
import org.arc4j.core.credentials.CredentialKey;
import org.arc4j.core.credentials.CredentialKind;
import org.arc4j.core.testkit.InMemoryCredentialStore;
import org.arc4j.core.credentials.Secret;
import org.arc4j.core.testkit.InMemoryRecordStore;
import org.arc4j.core.testkit.ManualScheduler;
import org.junit.jupiter.api.Test;

class DeviceCredentialsTest {
    private static final Actor ENGINEER = Actor.of("maint1", "10.0.0.5");
    private static final CredentialKey PANEL = CredentialKey.of(CredentialKind.DC09_KEY, "R1/L1/#1234");

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));
    private final AuditLog audit = new AuditLog(new InMemoryRecordStore(), scheduler.clock());
    private final InMemoryCredentialStore store = new InMemoryCredentialStore();
    private final DeviceCredentials credentials = new DeviceCredentials(store, PasswordPolicy.defaults(), audit);

    @Test
    void weakKeyIsRefusedAndTheRefusalAudited() {
        Credential zero = Credential.of(Secret.ofHex("00000000000000000000000000000000"));
        assertThatThrownBy(() -> credentials.put(ENGINEER, PANEL, zero))
                .isInstanceOfSatisfying(PasswordRejectedException.class, e -> {
                    assertThat(e.check().rules()).containsExactly(PasswordRule.ALL_ZERO_KEY);
                    assertThat(e.getMessage()).isEqualTo("DC09_KEY R1/L1/#1234 rejected: ALL_ZERO_KEY");
                });
        assertThat(store.find(PANEL)).isEmpty();
        assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.CREDENTIAL_CHANGE))).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("change", "rejected")
                        .containsEntry("rules", "[ALL_ZERO_KEY]"));
    }

    @Test
    void weakKeyOfAnInstalledPanelNeedsAnExplicitAuditedOverride() {
        Credential sequential = new Credential(null, Secret.ofHex("000102030405060708090A0B0C0D0E0F"),
                Map.of(Credential.OPTION_WEAK_KEY_ACCEPTED, "true"));
        PasswordCheck check = credentials.put(ENGINEER, PANEL, sequential);
        assertThat(check.rules()).containsExactly(PasswordRule.SEQUENTIAL_KEY);
        assertThat(store.find(PANEL)).contains(sequential);

        List<AuditEntry> trail = audit.query(AuditQuery.ALL.byTarget("DC09_KEY R1/L1/#1234"));
        assertThat(trail).extracting(AuditEntry::action)
                .containsExactly(AuditAction.OVERRIDE, AuditAction.CREDENTIAL_CHANGE);
        assertThat(trail.get(0).details()).containsEntry("rules", "[SEQUENTIAL_KEY]")
                .containsEntry("override", Credential.OPTION_WEAK_KEY_ACCEPTED);
        assertThat(trail.get(0).actor()).isEqualTo("maint1");
        assertThat(trail.get(0).origin()).isEqualTo("10.0.0.5");
    }

    @Test
    void strongCredentialsAreStoredReplacedAndRemovedWithAudit() {
        credentials.put(ENGINEER, PANEL, Credential.of(Secret.ofHex("3A7F1C92E05B48D6A1C3F7092B6E8D14")));
        credentials.put(ENGINEER, PANEL, Credential.of(Secret.ofHex("C41D9E07B2A85F3361E0C7D2984BAF15")));
        CredentialKey cam = CredentialKey.of(CredentialKind.ONVIF_LOGIN, "cam-1");
        assertThatThrownBy(() -> credentials.put(ENGINEER, cam,
                new Credential("admin", Secret.ofUtf8("12345"), Map.of())))
                .isInstanceOfSatisfying(PasswordRejectedException.class, e -> assertThat(e.check().rules())
                        .contains(PasswordRule.FACTORY_DEFAULT, PasswordRule.MIN_LENGTH));
        credentials.put(ENGINEER, cam, new Credential("admin", Secret.ofUtf8("Lk8#vQ2mZr"), Map.of()));
        assertThat(credentials.remove(ENGINEER, PANEL)).isTrue();
        assertThat(credentials.remove(ENGINEER, PANEL)).isFalse();
        assertThat(audit.query(AuditQuery.ALL.byAction(AuditAction.CREDENTIAL_CHANGE)))
                .extracting(e -> e.target() + " " + e.details().get("change"))
                .containsExactly("DC09_KEY R1/L1/#1234 stored", "DC09_KEY R1/L1/#1234 replaced",
                        "ONVIF_LOGIN cam-1 rejected", "ONVIF_LOGIN cam-1 stored", "DC09_KEY R1/L1/#1234 removed");
    }
}
