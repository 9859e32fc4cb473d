package org.arc4j.core.metrics;

import java.lang.management.ManagementFactory;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Metrics}: in memory like {@link SimpleMetrics}, and every instrument registered as an
 * MXBean named {@code <domain>:type=Counter|Timer,name=<name>,<tag>=<value>…} (domain {@code org.arc4j} by
 * default), readable with JConsole, VisualVM or any JMX exporter. Thread-safe.
 */
public final class JmxMetrics implements Metrics {
    private static final Logger LOG = LoggerFactory.getLogger(JmxMetrics.class);
    private final SimpleMetrics delegate;

    /** Metrics registered in the platform MBean server under {@code org.arc4j}. */
    public JmxMetrics() {
        this(ManagementFactory.getPlatformMBeanServer(), "org.arc4j");
    }

    /**
     * Metrics registered in the given server and domain (several centres in one JVM use different domains).
     *
     * @param server the MBean server
     * @param domain the JMX domain
     */
    public JmxMetrics(MBeanServer server, String domain) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(domain, "domain");
        this.delegate = new SimpleMetrics((id, instrument) -> register(server, domain, id, instrument));
    }

    /**
     * The JMX name of an instrument.
     *
     * @param domain the domain
     * @param id     the metric
     * @param type   {@code Counter} or {@code Timer}
     * @return its object name
     * @throws IllegalArgumentException if the name cannot be formed
     */
    public static ObjectName objectName(String domain, MetricId id, String type) {
        Hashtable<String, String> props = new Hashtable<>();
        props.put("type", type);
        props.put("name", ObjectName.quote(id.name()));
        for (int i = 0; i < id.tags().size(); i += 2) {
            props.put(id.tags().get(i), ObjectName.quote(id.tags().get(i + 1)));
        }
        try {
            return new ObjectName(domain, props);
        } catch (JMException e) {
            throw new IllegalArgumentException("bad metric name " + id, e);
        }
    }

    private static void register(MBeanServer server, String domain, MetricId id, Object instrument) {
        try {
            if (instrument instanceof Counter) {
                Counter c = (Counter) instrument;
                CounterMXBean bean = c::count;
                ObjectName name = objectName(domain, id, "Counter");
                if (!server.isRegistered(name)) {
                    server.registerMBean(new javax.management.StandardMBean(bean, CounterMXBean.class, true), name);
                }
            } else {
                Timer t = (Timer) instrument;
                TimerMXBean bean = new TimerMXBean() {
                    @Override
                    public long getCount() {
                        return t.count();
                    }

                    @Override
                    public long getTotalNanos() {
                        return t.totalNanos();
                    }

                    @Override
                    public long getMaxNanos() {
                        return t.maxNanos();
                    }

                    @Override
                    public double getMeanNanos() {
                        long n = t.count();
                        return n == 0 ? 0 : (double) t.totalNanos() / n;
                    }
                };
                ObjectName name = objectName(domain, id, "Timer");
                if (!server.isRegistered(name)) {
                    server.registerMBean(new javax.management.StandardMBean(bean, TimerMXBean.class, true), name);
                }
            }
        } catch (JMException | IllegalArgumentException e) {
            // metrics must never break the receive path
            LOG.warn("could not register metric {} over JMX: {}", id, e.toString());
        }
    }

    @Override
    public Counter counter(String name, String... tags) {
        return delegate.counter(name, tags);
    }

    @Override
    public Timer timer(String name, String... tags) {
        return delegate.timer(name, tags);
    }

    @Override
    public Map<MetricId, Long> counts() {
        return delegate.counts();
    }

    @Override
    public Map<MetricId, Timer> timers() {
        return delegate.timers();
    }
}
