package org.arc4j.core.pipeline.internal;

import java.time.Duration;
import java.util.Optional;
import org.arc4j.core.customer.Account;
import org.arc4j.core.customer.AccountKey;
import org.arc4j.core.customer.CustomerDirectory;
import org.arc4j.core.event.AlarmEvent;
import org.arc4j.core.event.Transport;
import org.arc4j.core.pipeline.PipelineEvent;
import org.arc4j.core.supervision.DeviceKey;
import org.arc4j.core.supervision.SupervisionEvent;
import org.arc4j.core.supervision.Supervisor;

/**
 * The pipeline's link to the {@link Supervisor} (GA 1383 设备巡检): accounts are supervised devices in the
 * {@code account} namespace, a periodic test is their check-in, and the supervisor's offline and online
 * decisions come back as {@link PipelineEvent.DeviceStatusChanged} with the account's site and transport.
 *
 * <p>Not thread-safe: used under the pipeline's lock.
 */
public final class SupervisorLink {
    /** GA 1383 设备巡检: 检测时间间隔小于等于24h. */
    private static final Duration LONGEST_INTERVAL = Duration.ofHours(24);
    private static final String NAMESPACE = "account";

    private final Supervisor supervisor;
    private final CustomerDirectory directory;

    /**
     * @param supervisor the supervisor, or null for none
     * @param directory  the accounts, or null for none
     */
    public SupervisorLink(Supervisor supervisor, CustomerDirectory directory) {
        this.supervisor = supervisor;
        this.directory = directory;
    }

    /**
     * @param key an account
     * @return its device key: namespace {@code account}, id {@code receiver/line/account}
     */
    public static DeviceKey deviceKey(AccountKey key) {
        return DeviceKey.of(NAMESPACE, key.toString());
    }

    /** @param e a periodic test: the account checked in */
    public void checkIn(AlarmEvent e) {
        if (supervisor != null) {
            supervisor.checkIn(deviceKey(AccountKey.of(e)), e.link(), e.receivedAt());
        }
    }

    /** Tells the supervisor about every account with a check-in interval, capped at 24 h. */
    public void superviseAccounts() {
        if (supervisor == null || directory == null) {
            return;
        }
        for (Account a : directory.accounts()) {
            if (a.checkInInterval() != null) {
                Duration d = a.checkInInterval().compareTo(LONGEST_INTERVAL) > 0 ? LONGEST_INTERVAL
                        : a.checkInInterval();
                supervisor.expect(deviceKey(a.key()), d);
            }
        }
    }

    /**
     * @param e a supervision event
     * @return what to tell the pipeline's listeners, or empty for a device that is not an account
     */
    public Optional<PipelineEvent.DeviceStatusChanged> statusOf(SupervisionEvent e) {
        if (!NAMESPACE.equals(e.device().namespace())) {
            return Optional.empty();
        }
        String[] parts = e.device().id().split("/", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        AccountKey key = new AccountKey(parts[0], parts[1], parts[2]);
        Optional<Account> a = directory == null ? Optional.empty() : directory.account(key);
        Transport t = a.map(Account::transport).orElse(Transport.UNKNOWN);
        String site = a.map(Account::siteId).orElse(null);
        if (e instanceof SupervisionEvent.Offline off) {
            return Optional.of(new PipelineEvent.DeviceStatusChanged(key, site, t, false, off.at(), off.lastSeen()));
        } else if (e instanceof SupervisionEvent.Online on) {
            return Optional.of(new PipelineEvent.DeviceStatusChanged(key, site, t, true, on.at(), on.offlineSince()));
        }
        return Optional.empty();
    }
}
