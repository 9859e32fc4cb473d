/**
 * The store contracts on PostgreSQL ({@link org.arc4j.core.store.postgres.PostgresStore}): for a centre of several
 * nodes on one database, which PostgreSQL's streaming replication makes redundant (GA 1383 key equipment in hot
 * standby; GA/T 669.7 distributed storage). Plain {@code java.sql}: the driver and the connection pool are the
 * application's. PostgreSQL-only coordination (advisory locks for the timer leader, LISTEN/NOTIFY) lives in the
 * centre, not here.
 */
package org.arc4j.core.store.postgres;
