/**
 * Test doubles for integrators' tests, not for production: a {@link org.arc4j.core.testkit.ManualClock} and a
 * {@link org.arc4j.core.testkit.ManualScheduler} for virtual time, in-memory implementations of the core contracts
 * ({@link org.arc4j.core.testkit.InMemoryAlarmIntake}, {@link org.arc4j.core.testkit.InMemoryRecordStore},
 * {@link org.arc4j.core.testkit.InMemorySupervisor}, {@link org.arc4j.core.testkit.InMemoryCredentialStore}) that
 * pass the same contract tests as the real ones but keep nothing across a restart, and the journal's fault hook
 * {@link org.arc4j.core.testkit.ChannelOpener} for crash and disk-error tests; and
 * {@link org.arc4j.core.testkit.Await}, a bounded wait for what a real peer or another thread brings about.
 *
 * <p>A centre uses the real implementations: {@code Journal}, {@code StoreAlarmIntake}, {@code
 * JournalledSupervisor}, {@code CredentialVault} and {@code SystemScheduler}.
 */
package org.arc4j.core.testkit;
