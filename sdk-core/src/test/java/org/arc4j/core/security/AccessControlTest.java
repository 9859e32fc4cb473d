package org.arc4j.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessControlTest {
    private final AccessControl access = AccessControl.defaults();

    private final User operator = User.of("op1", Role.OPERATOR, Scope.NONE);
    private final User guard = User.of("guard1", Role.GUARD, Scope.NONE);
    private final User admin = User.of("admin1", Role.ADMINISTRATOR, Scope.NONE);
    private final User police = User.of("police1", Role.POLICE_VIEWER, Scope.NONE);
    private final User customerA = User.of("cust-a", Role.CUSTOMER_VIEWER, Scope.customer("C-A"));
    private final User siteViewer = User.of("site-a2", Role.CUSTOMER_VIEWER, Scope.sites("S-A2"));

    private final Resource caseOfA = Resource.alarmCase("case-1", "C-A", "S-A1");
    private final Resource caseOfB = Resource.alarmCase("case-2", "C-B", "S-B1");

    @Test
    void customerViewerReadsItsOwnCaseButNotAnotherCustomers() {
        assertThat(access.check(customerA, Permission.VIEW_ALARMS, caseOfA))
                .isEqualTo(new AccessDecision.Granted(Permission.VIEW_ALARMS, Role.CUSTOMER_VIEWER));
        assertThat(access.check(customerA, Permission.VIEW_ALARMS, caseOfB))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_ALARMS, DenialReason.OUT_OF_SCOPE));
        assertThat(access.check(customerA, Permission.VIEW_RECORDED_VIDEO, Resource.recording("r-9", "C-B", "S-B1")))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_RECORDED_VIDEO, DenialReason.OUT_OF_SCOPE));
    }

    @Test
    void customerViewerMayNotActOnCases() {
        assertThat(access.check(customerA, Permission.CLOSE_CASE, caseOfA))
                .isEqualTo(new AccessDecision.Denied(Permission.CLOSE_CASE, DenialReason.PERMISSION_NOT_GRANTED));
    }

    @Test
    void siteScopeCoversOnlyThatSiteNotTheWholeCustomer() {
        assertThat(access.check(siteViewer, Permission.VIEW_ALARMS, Resource.alarmCase("c", "C-A", "S-A2"))
                .granted()).isTrue();
        assertThat(access.check(siteViewer, Permission.VIEW_ALARMS, caseOfA).granted()).isFalse();
        assertThat(access.check(siteViewer, Permission.READ_REPORTS, Resource.customer("C-A")))
                .isEqualTo(new AccessDecision.Denied(Permission.READ_REPORTS, DenialReason.OUT_OF_SCOPE));
    }

    @Test
    void scopedRolesNeverReachTheCentreAsAWhole() {
        assertThat(access.check(customerA, Permission.READ_REPORTS, Resource.centre()))
                .isEqualTo(new AccessDecision.Denied(Permission.READ_REPORTS, DenialReason.OUT_OF_SCOPE));
        assertThat(access.check(guard, Permission.VIEW_ALARMS, Resource.centre()).granted()).isFalse();
    }

    @Test
    void guardSeesOnlyCasesDispatchedToThem() {
        assertThat(access.check(guard, Permission.VIEW_ALARMS, caseOfA.dispatchedTo("guard1")))
                .isEqualTo(new AccessDecision.Granted(Permission.VIEW_ALARMS, Role.GUARD));
        assertThat(access.check(guard, Permission.VIEW_ALARMS, caseOfA.dispatchedTo("guard2")))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_ALARMS, DenialReason.OUT_OF_SCOPE));
        assertThat(access.check(guard, Permission.VIEW_ALARMS, caseOfA))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_ALARMS, DenialReason.OUT_OF_SCOPE));
        assertThat(access.check(guard, Permission.DISPATCH_CASE, caseOfA.dispatchedTo("guard1")))
                .isEqualTo(new AccessDecision.Denied(Permission.DISPATCH_CASE, DenialReason.PERMISSION_NOT_GRANTED));
    }

    @Test
    void policeViewerSeesOnlyForwardedCases() {
        assertThat(access.check(police, Permission.VIEW_ALARMS, caseOfB.forwarded()).granted()).isTrue();
        assertThat(access.check(police, Permission.VIEW_ALARMS, caseOfB))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_ALARMS, DenialReason.OUT_OF_SCOPE));
    }

    @Test
    void operatorWorksEveryCaseButDoesNotManageUsers() {
        for (Permission p : EnumSet.of(Permission.TAKE_CASE, Permission.VERIFY_CASE, Permission.FORWARD_CASE,
                Permission.DISPATCH_CASE, Permission.CLOSE_CASE)) {
            assertThat(access.check(operator, p, caseOfB).granted()).as(p.name()).isTrue();
        }
        assertThat(access.check(operator, Permission.MANAGE_USERS, Resource.centre()).granted()).isFalse();
        assertThat(access.check(operator, Permission.EXPORT_RECORDED_VIDEO, Resource.recording("r", "C-A", "S-A1"))
                .granted()).isFalse();
    }

    @Test
    void administratorManagesButDoesNotWatchVideo() {
        assertThat(access.check(admin, Permission.MANAGE_USERS, Resource.centre()).granted()).isTrue();
        assertThat(access.check(admin, Permission.VIEW_LIVE_VIDEO, Resource.device("cam", "C-A", "S-A1")))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_LIVE_VIDEO, DenialReason.PERMISSION_NOT_GRANTED));
    }

    @Test
    void disabledUserIsDeniedEverything() {
        assertThat(access.check(operator.withEnabled(false), Permission.VIEW_ALARMS, caseOfA))
                .isEqualTo(new AccessDecision.Denied(Permission.VIEW_ALARMS, DenialReason.USER_DISABLED));
    }

    @Test
    void anyRoleThatReachesGrants() {
        User both = new User("mixed", Set.of(Role.GUARD, Role.CUSTOMER_VIEWER), Scope.customer("C-A"), true);
        assertThat(access.check(both, Permission.VIEW_ALARMS, caseOfA))
                .isEqualTo(new AccessDecision.Granted(Permission.VIEW_ALARMS, Role.CUSTOMER_VIEWER));
        assertThat(access.check(both, Permission.VIEW_ALARMS, caseOfB.dispatchedTo("mixed")))
                .isEqualTo(new AccessDecision.Granted(Permission.VIEW_ALARMS, Role.GUARD));
    }

    @Test
    void requireThrowsTheTypedDecision() {
        assertThatThrownBy(() -> access.require(customerA, Permission.VIEW_ALARMS, caseOfB))
                .isInstanceOfSatisfying(AccessDeniedException.class, e -> assertThat(e.decision().reason())
                        .isEqualTo(DenialReason.OUT_OF_SCOPE));
        assertThat(access.require(customerA, Permission.VIEW_ALARMS, caseOfA).role()).isEqualTo(Role.CUSTOMER_VIEWER);
    }

    @Test
    void policyCanBeChangedPerCentre() {
        AccessControl custom = new AccessControl(AccessPolicy.defaults().toBuilder()
                .grant(Role.GUARD, Permission.CLOSE_CASE)
                .revoke(Role.CUSTOMER_VIEWER, Permission.EXPORT_RECORDED_VIDEO)
                .build());
        assertThat(custom.check(guard, Permission.CLOSE_CASE, caseOfA.dispatchedTo("guard1")).granted()).isTrue();
        assertThat(custom.check(customerA, Permission.EXPORT_RECORDED_VIDEO, Resource.recording("r", "C-A", "S-A1")))
                .isEqualTo(new AccessDecision.Denied(Permission.EXPORT_RECORDED_VIDEO,
                        DenialReason.PERMISSION_NOT_GRANTED));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "OPERATOR, VIEW_LIVE_VIDEO, true",
            "OPERATOR, ARM_DISARM, true",
            "MAINTENANCE, MANAGE_DEVICES, true",
            "MAINTENANCE, CLOSE_CASE, false",
            "SUPERVISOR, EXPORT_RECORDED_VIDEO, true",
            "SUPERVISOR, MANAGE_USERS, false",
            "ADMINISTRATOR, MANAGE_RULES, true",
            "ADMINISTRATOR, PTZ, false",
            "POLICE_VIEWER, PTZ, false",
            "CUSTOMER_VIEWER, ARM_DISARM, true",
            "CUSTOMER_VIEWER, CONTROL_LINKAGE, false",
            "GUARD, VIEW_LIVE_VIDEO, true",
    })
    void defaultTable(Role role, Permission permission, boolean granted) {
        User u = User.of("u", role, Scope.customer("C-A"));
        Resource r = Resource.device("cam", "C-A", "S-A1").dispatchedTo("u").forwarded();
        assertThat(access.check(u, permission, r).granted()).isEqualTo(granted);
    }
}
