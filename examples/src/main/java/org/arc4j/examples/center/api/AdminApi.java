package org.arc4j.examples.center.api;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.arc4j.core.intake.AlarmIntake;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.SessionManager;
import org.arc4j.core.security.UserDirectory;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.store.RetentionPolicy;
import org.arc4j.examples.center.CenterUsers;
import org.arc4j.examples.center.admin.AdminStore;
import org.arc4j.examples.center.admin.Maintenance;
import org.arc4j.examples.center.admin.WorkOrders;
import org.arc4j.examples.center.http.Router;

/**
 * The administration part of the REST API (GA 1383 系统管理, 数据维护, 服务质量), added to the {@link CenterApi}'s
 * router: customers and sites ({@link AdminResource}), users listed, disabled and given another role
 * ({@link UserResource}), the audit log ({@link AuditResource}), the compliance report, case history and report
 * downloads ({@link ReportResource}), backups ({@link MaintenanceResource}), drills ({@link DrillResource}),
 * maintenance work orders ({@link WorkOrderResource}) and the search of stored events
 * ({@link EventSearchResource}). Every call checks its permission with the same {@link AccessGuard} as the rest
 * of the API.
 */
public final class AdminApi {
    /**
     * The parts of the centre the administration API works on.
     *
     * @param clock       the centre's clock
     * @param journal     the store reports are read from
     * @param retention   the journal's retention policy, if it has one
     * @param admin       customers and sites
     * @param maintenance backups
     * @param ledger      the quality statistics
     * @param audit       the audit log
     * @param access      the permission check
     * @param sessions    resolves bearer tokens
     * @param users       users
     * @param userStore   keeps users across restarts
     * @param intake      where drills go in, as a panel's alarms do
     * @param events      the journal's event queries
     */
    public record Services(Clock clock, RecordStore journal, Optional<RetentionPolicy> retention, AdminStore admin,
                           Maintenance maintenance, QualityLedger ledger, AuditLog audit, AccessControl access,
                           SessionManager sessions, UserDirectory users, CenterUsers userStore,
                           AlarmIntake intake, EventQueries events) {
        /** Every part is required. */
        public Services {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(journal, "journal");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(admin, "admin");
            Objects.requireNonNull(maintenance, "maintenance");
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(userStore, "userStore");
            Objects.requireNonNull(intake, "intake");
            Objects.requireNonNull(events, "events");
        }
    }

    private AdminApi() {
    }

    /**
     * Lets {@code GET /api/events/search} find a customer's events ({@code customer=}): the events of the account
     * numbers the function gives for it; a customer it does not know (null) is 400.
     *
     * @param router     the router {@link #routes} added to
     * @param s          the parts
     * @param accountsOf a customer's account numbers as configured now, or null for an unknown customer
     * @return the router
     */
    public static Router eventsOfCustomers(Router router, Services s,
                                           java.util.function.Function<String, java.util.Collection<String>> accountsOf) {
        EventSearchResource search = new EventSearchResource(new AccessGuard(s.sessions(), s.access(), s.audit()),
                s.events());
        search.accountsOf(accountsOf);
        return router.wrap("GET", "/api/events/search", old -> search::search);
    }

    /**
     * Adds the administration routes.
     *
     * @param router the API's router
     * @param s      the parts
     * @return the router
     */
    public static Router routes(Router router, Services s) {
        AccessGuard guard = new AccessGuard(s.sessions(), s.access(), s.audit());
        AdminResource admin = new AdminResource(guard, s.admin());
        AuditResource audit = new AuditResource(guard, s.audit());
        ReportResource reports = new ReportResource(guard, s.clock(), s.journal(), s.retention(), s.ledger(),
                s.maintenance(), s.audit());
        MaintenanceResource maintenance = new MaintenanceResource(guard, s.maintenance(), s.audit(), s.journal(),
                s.clock());
        UserResource users = new UserResource(guard, s.users(), s.userStore());
        DrillResource drills = new DrillResource(guard, s.intake(), s.audit(), s.clock());
        EventSearchResource search = new EventSearchResource(guard, s.events());
        WorkOrderResource workOrders = new WorkOrderResource(guard,
                WorkOrders.open(s.journal(), s.ledger(), s.audit(), s.clock()), s.clock());
        return router
                .get("/api/admin/customers", admin::customers)
                .post("/api/admin/customers", admin::createCustomer)
                .get("/api/admin/customers/{id}", admin::customer)
                .put("/api/admin/customers/{id}", admin::updateCustomer)
                .add("DELETE", "/api/admin/customers/{id}", admin::deleteCustomer)
                .get("/api/admin/sites", admin::sites)
                .put("/api/admin/sites/{id}", admin::putSite)
                .add("DELETE", "/api/admin/sites/{id}", admin::deleteSite)
                .get("/api/users", users::list)
                .put("/api/users/{name}", users::update)
                .get("/api/audit", audit::query)
                .get("/api/compliance", reports::compliance)
                .get("/api/history", reports::history)
                .get("/api/reports/compliance.csv", reports::complianceCsv)
                .get("/api/reports/compliance.pdf", reports::compliancePdf)
                .get("/api/reports/cases.csv", reports::casesCsv)
                .get("/api/reports/audit.csv", audit::csv)
                .get("/api/maintenance/backups", maintenance::list)
                .post("/api/maintenance/backups", maintenance::backup)
                .get("/api/maintenance/switchovers", maintenance::switchovers)
                .post("/api/maintenance/switchovers", maintenance::recordSwitchover)
                .post("/api/drills", drills::inject)
                .get("/api/events/search", search::search)
                .get("/api/admin/work-orders", workOrders::list)
                .post("/api/admin/work-orders", workOrders::open)
                .post("/api/admin/work-orders/{id}/close", workOrders::close);
    }
}
