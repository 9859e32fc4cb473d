package org.arc4j.examples.center.admin;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups taken around a change of customer data or configuration (GA 1383 数据维护: customer data backed up
 * after every change, system configuration before and after every change): the administration API runs each such
 * change through {@link #around}, which calls the hook with {@code before <what>} and, once the change is durable,
 * {@code after <what>}. The centre's hook takes a backup ({@link Maintenance#backup}); without one (on PostgreSQL,
 * whose own backups do that job) nothing is taken. A failing hook is logged and neither stops nor undoes the
 * change. Thread-safe.
 */
public final class ChangeBackups {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeBackups.class);
    private volatile Consumer<String> hook = reason -> { };

    /** @param hook what to run with the reason, {@code before put account 1234} or {@code after …} */
    public void hook(Consumer<String> hook) {
        this.hook = hook;
    }

    /**
     * Runs a change between the two backups. A change that throws (a refused field, a conflict) gets no second
     * backup.
     *
     * @param what   the change, e.g. {@code put account 1234}
     * @param change the change, returning once it is durable
     * @param <T>    what it returns
     * @return its value
     */
    public <T> T around(String what, Supplier<T> change) {
        run("before " + what);
        T v = change.get();
        run("after " + what);
        return v;
    }

    /**
     * Runs the hook once.
     *
     * @param reason why
     */
    public void run(String reason) {
        try {
            hook.accept(reason);
        } catch (RuntimeException e) {
            LOG.warn("{}: the backup around the change failed", reason, e);
        }
    }
}
