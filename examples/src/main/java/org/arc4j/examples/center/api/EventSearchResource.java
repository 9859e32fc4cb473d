package org.arc4j.examples.center.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.arc4j.core.event.Category;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.EventQuery;
import org.arc4j.core.store.StoredRecord;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/events/search?from=&to=&account=&customer=&category=&state=&limit=}: stored alarm records found by
 * time, account, customer (the events of its accounts, as configured now), category and the state of their case
 * (GA 1383 记录存储与播放), through the journal's own query index,
 * oldest first, at most {@code limit} (default 1,000, at most 10,000); each event in the JSON of
 * {@code docs/event.json}. Needs {@code VIEW_ALARMS} on the centre. Thread-safe.
 */
final class EventSearchResource {
    private static final int DEFAULT_LIMIT = 1_000;
    private static final int MAX_LIMIT = 10_000;

    private final AccessGuard guard;
    private final EventQueries events;
    private volatile java.util.function.Function<String, java.util.Collection<String>> accountsOf = c -> null;

    EventSearchResource(AccessGuard guard, EventQueries events) {
        this.guard = guard;
        this.events = events;
    }

    /**
     * @param accountsOf the account numbers of a customer, or null for a customer nobody knows (enables
     *                   {@code customer=})
     */
    void accountsOf(java.util.function.Function<String, java.util.Collection<String>> accountsOf) {
        this.accountsOf = accountsOf;
    }

    HttpResponse search(HttpRequest r) {
        guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        int limit = Fields.queryLimit(r, DEFAULT_LIMIT, MAX_LIMIT);
        Instant from = Fields.queryInstant(r, "from", null);
        Instant to = Fields.queryInstant(r, "to", null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        String category = r.query("category");
        String account = r.query("account");
        String state = r.query("state");
        // either end may be open: the record's constructor takes null where between() does not
        EventQuery q = new EventQuery(from, to, null, null, null, limit);
        if (account != null && !account.isBlank()) {
            q = q.withAccount(account);
        }
        if (category != null && !category.isBlank()) {
            q = q.withCategory(Fields.enumOf(Category.class, category, "category"));
        }
        if (state != null && !state.isBlank()) {
            q = q.withCaseState(state.toUpperCase(java.util.Locale.ROOT));
        }
        String customer = r.query("customer");
        List<StoredRecord> found;
        if (customer != null && !customer.isBlank()) {
            java.util.Collection<String> accounts = accountsOf.apply(customer.strip());
            if (accounts == null) {
                throw ApiException.badRequest("customer: no customer " + customer.strip());
            }
            // one query per account of the customer, merged in store order (the account filter is the index's)
            java.util.TreeMap<Long, StoredRecord> merged = new java.util.TreeMap<>();
            for (String a : new java.util.TreeSet<>(accounts)) {
                if (account == null || account.isBlank() || account.equalsIgnoreCase(a)) {
                    events.events(q.withAccount(a)).forEach(e -> merged.put(e.position(), e));
                }
            }
            found = merged.values().stream().limit(limit).toList();
        } else {
            found = events.events(q);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, found.size() * 600));
        out.writeBytes("{\"events\":[".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < found.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(found.get(i).payload());
        }
        out.writeBytes(("],\"count\":" + found.size() + "}").getBytes(StandardCharsets.US_ASCII));
        return HttpResponse.bytes(200, "application/json; charset=utf-8", out.toByteArray());
    }
}
