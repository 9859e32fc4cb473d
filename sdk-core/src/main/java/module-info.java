/**
 * arc4j core: the event model and code tables, the shared contracts every protocol adapter uses
 * (intake, supervision, credentials, scheduling, metrics), and their reference implementations.
 * This module knows no wire protocol.
 */
module org.arc4j.core {
    requires org.slf4j; // logging is an implementation detail: no API type mentions it
    requires transitive com.fasterxml.jackson.databind;
    requires transitive java.management;
    requires org.bouncycastle.provider;
    // only org.arc4j.core.metrics.micrometer needs it, and only when the application brings Micrometer
    requires static micrometer.core;
    requires transitive java.sql; // the PostgreSQL store takes a javax.sql.DataSource

    exports org.arc4j.core.event;
    exports org.arc4j.core.codes;
    exports org.arc4j.core.intake;
    exports org.arc4j.core.supervision;
    exports org.arc4j.core.credentials;
    exports org.arc4j.core.time;
    exports org.arc4j.core.metrics;
    exports org.arc4j.core.metrics.micrometer;
    exports org.arc4j.core.store;
    exports org.arc4j.core.store.postgres;
    exports org.arc4j.core.security;
    exports org.arc4j.core.security.digest;
    exports org.arc4j.core.sla;
    exports org.arc4j.core.customer;
    exports org.arc4j.core.pipeline;
    exports org.arc4j.core.stats;
    exports org.arc4j.core.testkit;

    opens org.arc4j.core.codes;
}
