package org.arc4j.examples.center.api;

import java.time.Clock;
import java.util.Objects;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseException;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.CredentialVault;
import org.arc4j.core.security.PasswordPolicy;
import org.arc4j.core.security.SessionManager;
import org.arc4j.core.security.UserDirectory;
import org.arc4j.core.stats.QualityLedger;
import org.arc4j.core.store.RecordStore;
import org.arc4j.core.supervision.Supervisor;
import org.arc4j.examples.center.CaseViews;
import org.arc4j.examples.center.CenterModel;
import org.arc4j.examples.center.CenterUsers;
import org.arc4j.examples.center.EventIndex;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.Router;

/**
 * The reference centre's REST API, exactly as the README's table documents it: the route table, with each route's
 * handler in the class of its resource ({@link SessionResource}, {@link CaseResource}, …). Every call but login
 * and health needs a bearer token, and every call checks its permission with the SDK's {@code AccessControl}
 * through the {@link AccessGuard} (a denial is audited as {@code ACCESS_DENIED}); case actions are decided by the
 * pipeline's authorizer, the SDK's {@code CaseAccess} over the same access control, and journalled with the
 * logged-in user as actor; credential, password and permission changes are audited. Handlers run
 * on the HTTP server's worker threads; the pipeline's refusals become 404, 403 or 409 here.
 */
public final class CenterApi {
    /**
     * The parts of the centre the API works on.
     *
     * @param clock          the centre's clock ("now" for health, statistics and the login throttle)
     * @param journal        the journal the events are read from
     * @param events         the index of the events in the journal
     * @param intake         the intake (its in-flight count for health)
     * @param pipeline       the alarm pipeline the case actions go to
     * @param views          the JSON of cases
     * @param model          the customer model account changes go to
     * @param supervisor     the device supervisor
     * @param ledger         the quality statistics
     * @param vault          the credential vault (DC-09 keys, SIP passwords)
     * @param audit          the audit log
     * @param passwordPolicy checks device keys and passwords
     * @param sessions       resolves bearer tokens
     * @param users          users, logins and passwords
     * @param userStore      keeps users across restarts
     * @param access         the permission check
     */
    public record Services(Clock clock, RecordStore journal, EventIndex events, StoreAlarmIntake intake,
                           AlarmPipeline pipeline, CaseViews views, CenterModel model, Supervisor supervisor,
                           QualityLedger ledger, CredentialVault vault, AuditLog audit, PasswordPolicy passwordPolicy,
                           SessionManager sessions, UserDirectory users, CenterUsers userStore, AccessControl access) {
        /** Every part is required. */
        public Services {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(journal, "journal");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(intake, "intake");
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(views, "views");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(supervisor, "supervisor");
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(passwordPolicy, "passwordPolicy");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(users, "users");
            Objects.requireNonNull(userStore, "userStore");
            Objects.requireNonNull(access, "access");
        }
    }

    private CenterApi() {
    }

    /**
     * The API's routes.
     *
     * @param s the centre's parts
     * @return the router, for the {@code HttpServer}
     */
    public static Router router(Services s) {
        AccessGuard guard = new AccessGuard(s.sessions(), s.access(), s.audit());
        HealthResource health = new HealthResource(s.clock(), s.events(), s.pipeline(), s.intake());
        SessionResource session = new SessionResource(s.users(), guard,
                new LoginThrottle(s.clock(), LoginThrottle.FAILURES_PER_MINUTE, LoginThrottle.WINDOW));
        EventResource events = new EventResource(guard, s.events(), s.journal());
        // the same decision as the pipeline's authorizer: one permission table, the SDK's
        CaseResource cases = new CaseResource(guard, s.pipeline(), s.views(),
                new CaseAccess(s.access(), s.users()::user));
        AccountResource accounts = new AccountResource(guard, s.model(), s.vault(), s.passwordPolicy(), s.audit());
        Gb28181Resource gb28181 = new Gb28181Resource(guard, s.vault(), s.passwordPolicy(), s.audit(),
                s.model().backups());
        DeviceResource devices = new DeviceResource(guard, s.supervisor());
        StatsResource stats = new StatsResource(guard, s.ledger(), s.audit(), s.clock());
        UserResource users = new UserResource(guard, s.users(), s.userStore());
        AdminAccountResource adminAccounts = new AdminAccountResource(guard, s.model(), s.pipeline(), s.audit());
        return new Router()
                .get("/api/health", caseErrors(health::health))
                .post("/api/login", caseErrors(session::login))
                .post("/api/logout", caseErrors(session::logout))
                .get("/api/me", caseErrors(session::me))
                .get("/api/events", caseErrors(events::events))
                .get("/api/cases", caseErrors(cases::cases))
                .get("/api/cases/{id}", caseErrors(cases::detail))
                .post("/api/cases/{id}/displayed", caseErrors(cases::displayed))
                .post("/api/cases/{id}/actions", caseErrors(cases::action))
                .put("/api/accounts/{account}", caseErrors(accounts::put))
                .put("/api/gb28181/devices/{id}", caseErrors(gb28181::putDevice))
                .get("/api/devices", caseErrors(devices::devices))
                .get("/api/stats", caseErrors(stats::stats))
                .get("/api/stats/faults", caseErrors(stats::monthly))
                .post("/api/missed-alarms", caseErrors(stats::missedAlarm))
                .post("/api/faults", caseErrors(stats::fault))
                .post("/api/satisfaction", caseErrors(stats::satisfaction))
                .post("/api/users", caseErrors(users::create))
                .put("/api/users/{name}/password", caseErrors(users::password))
                .get("/api/admin/accounts", caseErrors(adminAccounts::list))
                .get("/api/admin/accounts/{account}", caseErrors(adminAccounts::get))
                .put("/api/admin/accounts/{account}", caseErrors(adminAccounts::put))
                .add("DELETE", "/api/admin/accounts/{account}", caseErrors(adminAccounts::delete));
    }

    /**
     * Makes {@code GET /api/cases?state=all} list the store's cases, paged ({@link StoredCaseList}), instead of the
     * cases the pipeline holds in memory; without {@code state=all} the route stays the open queue.
     *
     * @param router  the router {@link #router} made
     * @param s       the centre's parts
     * @param queries the store's case index
     * @return the router
     */
    public static Router casesFromStore(Router router, Services s, org.arc4j.core.store.EventQueries queries) {
        StoredCaseList stored = new StoredCaseList(new AccessGuard(s.sessions(), s.access(), s.audit()),
                s.pipeline(), s.views(), queries);
        return router.wrap("GET", "/api/cases", queue -> caseErrors(req -> "all".equalsIgnoreCase(req.query("state"))
                ? stored.list(req) : queue.handle(req)));
    }

    /**
     * A handler whose {@link CaseException}s become API errors by {@link #caseError}; everything else passes
     * through to the server's own mapping ({@link ApiException} to its status, anything else to 500).
     *
     * @param handler the handler
     * @return the wrapped handler
     */
    static Router.Handler caseErrors(Router.Handler handler) {
        return req -> {
            try {
                return handler.handle(req);
            } catch (CaseException e) {
                throw caseError(e);
            }
        };
    }

    /**
     * Maps the pipeline's refusals to statuses: an unknown case 404, a refused operator 403, and a step that does
     * not fit the case (wrong state, video required first, a drill to police) 409. The message is the pipeline's
     * detail without its reason and case id.
     *
     * @param e the refusal
     * @return the API error
     */
    static ApiException caseError(CaseException e) {
        int status = switch (e.reason()) {
            case NOT_FOUND -> 404;
            case DENIED -> 403;
            default -> 409;
        };
        String m = e.getMessage();
        return new ApiException(status, m.substring(m.indexOf(':') + 1).trim());
    }
}
