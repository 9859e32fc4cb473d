package org.arc4j.gb28181.platform;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.arc4j.core.time.Cancellable;
import org.arc4j.core.time.Scheduler;
import org.arc4j.gb28181.manscdp.CatalogItem;
import org.arc4j.gb28181.manscdp.DeviceInfoResponse;
import org.arc4j.gb28181.manscdp.DeviceStatusResponse;
import org.arc4j.gb28181.manscdp.ManscdpDocument;
import org.arc4j.gb28181.manscdp.PresetQueryResponse;
import org.arc4j.gb28181.platform.internal.PendingAnswer;

/**
 * Queries to devices and their answers (GB/T 28181-2016 §9.5): each query waits for MANSCDP answers matched by
 * device, CmdType and SN, possibly in several MESSAGEs, until SumNum items arrived or the query timeout. At most
 * {@code maxPendingQueries} wait at once. Thread-safe.
 */
final class QueryClient {
    private final GbPlatformConfig config;
    private final Scheduler scheduler;
    private final DeviceRequests requests;
    private final Map<String, PendingAnswer<?>> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    QueryClient(GbPlatformConfig config, Scheduler scheduler, DeviceRequests requests) {
        this.config = config;
        this.scheduler = scheduler;
        this.requests = requests;
    }

    /** @return the queries awaiting an answer */
    int pending() {
        return pending.size();
    }

    /** Fails every pending query with a {@link CancellationException} and cancels its timer. */
    void close() {
        closed = true;
        for (Map.Entry<String, PendingAnswer<?>> e : List.copyOf(pending.entrySet())) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().cancelTimeout();
                e.getValue().result().completeExceptionally(new CancellationException("platform closed"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    /** A part of an answer arrived. */
    <T> void complete(String deviceId, String cmd, long snValue, List<T> items, int sumNum) {
        String k = pendingKey(deviceId, cmd, snValue);
        PendingAnswer<T> p = (PendingAnswer<T>) pending.get(k);
        if (p != null && p.add(items, sumNum)) {
            pending.remove(k, p);
        }
    }

    private static String pendingKey(String deviceId, String cmd, long snValue) {
        return deviceId + "|" + cmd.toLowerCase(java.util.Locale.ROOT) + "|" + snValue;
    }

    private <T> CompletableFuture<List<T>> query(String deviceId, String targetId, String cmd,
                                                  Function<T, String> unique,
                                                  LongFunction<byte[]> body) {
        GbDevice d;
        try {
            d = requests.registered(deviceId);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (pending.size() >= config.maxPendingQueries || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException(closed ? "platform closed"
                    : "too many queries awaiting answers (" + config.maxPendingQueries + ")"));
        }
        long n = requests.nextSn();
        String k = pendingKey(deviceId, cmd, n);
        PendingAnswer<T> p = new PendingAnswer<>(unique);
        pending.put(k, p);
        Cancellable t = scheduler.schedule(config.queryTimeout, () -> {
            if (pending.remove(k, p)) {
                p.result().completeExceptionally(new TimeoutException(cmd + " answer from " + deviceId + ": "
                        + p.received() + " item(s) in " + config.queryTimeout.toSeconds() + " s"));
            }
        });
        p.timeout(t);
        requests.message(d, targetId, body.apply(n)).whenComplete((resp, err) -> {
            if (err != null || resp.status() >= 300) {
                if (pending.remove(k, p)) {
                    t.cancel();
                    p.result().completeExceptionally(err != null ? err
                            : new IllegalStateException(cmd + " refused by " + deviceId + ": " + resp.status()));
                }
            }
        });
        return p.result();
    }

    /**
     * Queries a device's Catalog (GB/T 28181-2016 §9.5.2); the answer may come in several MESSAGEs and completes
     * when SumNum unique items have arrived. The registry's channels are updated as parts arrive.
     *
     * @param deviceId the device
     * @return the items, or a {@link TimeoutException} after the query timeout
     */
    CompletableFuture<List<CatalogItem>> queryCatalog(String deviceId) {
        return query(deviceId, deviceId, "Catalog", CatalogItem::deviceId,
                n -> requests.encoder(deviceId).catalogQuery(n, deviceId));
    }

    /**
     * @param deviceId the device
     * @return its DeviceInfo answer
     */
    CompletableFuture<DeviceInfoResponse> queryDeviceInfo(String deviceId) {
        return this.<ManscdpDocument>query(deviceId, deviceId, "DeviceInfo", null,
                n -> requests.encoder(deviceId).deviceInfoQuery(n, deviceId)).thenApply(l -> DeviceInfoResponse.of(l.get(0)));
    }

    /**
     * @param deviceId the device
     * @return its DeviceStatus answer
     */
    CompletableFuture<DeviceStatusResponse> queryDeviceStatus(String deviceId) {
        return this.<ManscdpDocument>query(deviceId, deviceId, "DeviceStatus", null,
                n -> requests.encoder(deviceId).deviceStatusQuery(n, deviceId))
                .thenApply(l -> DeviceStatusResponse.of(l.get(0)));
    }

    /**
     * @param deviceId  the device
     * @param channelId the channel
     * @return its presets
     */
    CompletableFuture<PresetQueryResponse> queryPresets(String deviceId, String channelId) {
        return this.<ManscdpDocument>query(deviceId, channelId, "PresetQuery", null,
                n -> requests.encoder(deviceId).presetQuery(n, channelId)).thenApply(l -> PresetQueryResponse.of(l.get(0)));
    }

    /**
     * Queries recordings of a channel with {@code <Type>all</Type>}; completes when SumNum items arrived.
     *
     * @param deviceId  the device
     * @param channelId the channel
     * @param start     start, device-local
     * @param end       end, device-local
     * @return the record items
     */
    CompletableFuture<List<Map<String, String>>> queryRecordInfo(String deviceId, String channelId,
                                                                        LocalDateTime start, LocalDateTime end) {
        return query(deviceId, channelId, "RecordInfo", null,
                n -> requests.encoder(deviceId).recordInfoQuery(n, channelId, start, end, 0, "all"));
    }

    /**
     * A control command that the device answers with a DeviceControl Response (GB/T 28181-2016 A.2.6.1: its
     * {@code Result}, OK or ERROR), matched by device and SN like a query.
     *
     * @param deviceId the device
     * @param targetId the device or channel the command is addressed to
     * @param body     the command's body for an SN
     * @return the answer, or a {@link TimeoutException} after the query timeout
     */
    CompletableFuture<ManscdpDocument> control(String deviceId, String targetId, LongFunction<byte[]> body) {
        return this.<ManscdpDocument>query(deviceId, targetId, "DeviceControl", null, body).thenApply(l -> l.get(0));
    }

    /**
     * Queries alarms (GB/T 28181-2016 A.2.4.7), all priorities and methods.
     *
     * @param deviceId the device
     * @param start    start, device-local
     * @param end      end, device-local
     * @return the first answer document
     */
    CompletableFuture<ManscdpDocument> queryAlarms(String deviceId, LocalDateTime start, LocalDateTime end) {
        return this.<ManscdpDocument>query(deviceId, deviceId, "Alarm", null,
                n -> requests.encoder(deviceId).alarmQuery(n, deviceId, 0, 0, "0", start, end)).thenApply(l -> l.get(0));
    }
}
