package org.arc4j.core.security;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which permissions each role holds and how far they reach (GA 1383 系统管理, 权限管理). Immutable; build a
 * changed copy with {@link #toBuilder()}. {@link #defaults()} is the table an integrator starts from:
 *
 * <table>
 *   <caption>default grants</caption>
 *   <tr><th>role</th><th>reach</th><th>permissions</th></tr>
 *   <tr><td>OPERATOR</td><td>CENTRE</td><td>view alarms; take, verify, forward, dispatch, report on-site steps
 *       (relayed by phone), close cases; arm/disarm;
 *       linkage; PTZ; live and recorded video</td></tr>
 *   <tr><td>MAINTENANCE</td><td>CENTRE</td><td>view alarms; arm/disarm; linkage; PTZ; live video; manage devices;
 *       read logs</td></tr>
 *   <tr><td>GUARD</td><td>DISPATCHED_CASES</td><td>view alarms; report on-site steps; live video</td></tr>
 *   <tr><td>SUPERVISOR</td><td>CENTRE</td><td>all of OPERATOR; export recorded video; manage customers and rules;
 *       read logs and reports</td></tr>
 *   <tr><td>ADMINISTRATOR</td><td>CENTRE</td><td>view alarms; manage customers, devices, rules, users; read logs
 *       and reports</td></tr>
 *   <tr><td>POLICE_VIEWER</td><td>FORWARDED_CASES</td><td>view alarms; live, recorded and exported video</td></tr>
 *   <tr><td>CUSTOMER_VIEWER</td><td>OWN_SITES</td><td>view alarms; arm/disarm; live, recorded and exported video;
 *       read reports</td></tr>
 * </table>
 */
public final class AccessPolicy {
    private final Map<Role, Set<Permission>> grants;
    private final Map<Role, Reach> reaches;

    private AccessPolicy(Map<Role, Set<Permission>> grants, Map<Role, Reach> reaches) {
        EnumMap<Role, Set<Permission>> g = new EnumMap<>(Role.class);
        EnumMap<Role, Reach> r = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            Set<Permission> p = grants.get(role);
            g.put(role, p == null || p.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(p)));
            r.put(role, Objects.requireNonNull(reaches.get(role), "no reach for " + role));
        }
        this.grants = Collections.unmodifiableMap(g);
        this.reaches = Collections.unmodifiableMap(r);
    }

    /** @return the default table (see the class description) */
    public static AccessPolicy defaults() {
        Set<Permission> caseWork = EnumSet.of(Permission.VIEW_ALARMS, Permission.TAKE_CASE, Permission.VERIFY_CASE,
                Permission.FORWARD_CASE, Permission.DISPATCH_CASE, Permission.REPORT_ON_SITE, Permission.CLOSE_CASE,
                Permission.ARM_DISARM,
                Permission.CONTROL_LINKAGE, Permission.PTZ, Permission.VIEW_LIVE_VIDEO,
                Permission.VIEW_RECORDED_VIDEO);
        Set<Permission> supervisor = EnumSet.copyOf(caseWork);
        supervisor.addAll(EnumSet.of(Permission.EXPORT_RECORDED_VIDEO, Permission.MANAGE_CUSTOMERS,
                Permission.MANAGE_RULES, Permission.READ_LOGS, Permission.READ_REPORTS));
        return new Builder()
                .role(Role.OPERATOR, Reach.CENTRE, caseWork)
                .role(Role.MAINTENANCE, Reach.CENTRE, EnumSet.of(Permission.VIEW_ALARMS, Permission.ARM_DISARM,
                        Permission.CONTROL_LINKAGE, Permission.PTZ, Permission.VIEW_LIVE_VIDEO,
                        Permission.MANAGE_DEVICES, Permission.READ_LOGS))
                .role(Role.GUARD, Reach.DISPATCHED_CASES, EnumSet.of(Permission.VIEW_ALARMS,
                        Permission.REPORT_ON_SITE, Permission.VIEW_LIVE_VIDEO))
                .role(Role.SUPERVISOR, Reach.CENTRE, supervisor)
                .role(Role.ADMINISTRATOR, Reach.CENTRE, EnumSet.of(Permission.VIEW_ALARMS,
                        Permission.MANAGE_CUSTOMERS, Permission.MANAGE_DEVICES, Permission.MANAGE_RULES,
                        Permission.MANAGE_USERS, Permission.READ_LOGS, Permission.READ_REPORTS))
                .role(Role.POLICE_VIEWER, Reach.FORWARDED_CASES, EnumSet.of(Permission.VIEW_ALARMS,
                        Permission.VIEW_LIVE_VIDEO, Permission.VIEW_RECORDED_VIDEO,
                        Permission.EXPORT_RECORDED_VIDEO))
                .role(Role.CUSTOMER_VIEWER, Reach.OWN_SITES, EnumSet.of(Permission.VIEW_ALARMS,
                        Permission.ARM_DISARM, Permission.VIEW_LIVE_VIDEO, Permission.VIEW_RECORDED_VIDEO,
                        Permission.EXPORT_RECORDED_VIDEO, Permission.READ_REPORTS))
                .build();
    }

    /**
     * The permissions a role holds.
     *
     * @param role the role
     * @return an unmodifiable set
     */
    public Set<Permission> permissions(Role role) {
        return grants.get(role);
    }

    /**
     * How far a role reaches.
     *
     * @param role the role
     * @return its reach
     */
    public Reach reach(Role role) {
        return reaches.get(role);
    }

    /** @return a builder holding this table */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Role role : Role.values()) {
            b.role(role, reaches.get(role), grants.get(role));
        }
        return b;
    }

    /** Builds a policy; every role needs a reach. Not thread-safe. */
    public static final class Builder {
        private final Map<Role, Set<Permission>> grants = new EnumMap<>(Role.class);
        private final Map<Role, Reach> reaches = new EnumMap<>(Role.class);

        /** An empty builder. */
        public Builder() {
        }

        /**
         * Sets a role's reach and permissions, replacing what it had.
         *
         * @param role        the role
         * @param reach       its reach
         * @param permissions its permissions
         * @return this builder
         */
        public Builder role(Role role, Reach reach, Set<Permission> permissions) {
            reaches.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(reach, "reach"));
            grants.put(role, permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : EnumSet.copyOf(permissions));
            return this;
        }

        /**
         * Adds permissions to a role that already has a reach.
         *
         * @param role        the role
         * @param permissions what to add
         * @return this builder
         */
        public Builder grant(Role role, Permission... permissions) {
            grants.computeIfAbsent(role, r -> EnumSet.noneOf(Permission.class)).addAll(Set.of(permissions));
            return this;
        }

        /**
         * Removes permissions from a role.
         *
         * @param role        the role
         * @param permissions what to remove
         * @return this builder
         */
        public Builder revoke(Role role, Permission... permissions) {
            Set<Permission> p = grants.get(role);
            if (p != null) {
                p.removeAll(Set.of(permissions));
            }
            return this;
        }

        /** @return the policy */
        public AccessPolicy build() {
            return new AccessPolicy(grants, reaches);
        }
    }
}
