package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.arc4j.core.pipeline.AlarmCase;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.core.pipeline.CaseState;
import org.arc4j.core.security.AccessDecision;
import org.arc4j.core.security.CaseAccess;
import org.arc4j.core.security.DenialReason;
import org.arc4j.core.security.Permission;
import org.arc4j.core.security.Resource;
import org.arc4j.core.security.Session;
import org.arc4j.core.store.EventQueries;
import org.arc4j.core.store.StoredCaseState;
import org.arc4j.examples.center.CaseViews;
import org.arc4j.examples.center.http.ApiException;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/cases?state=all}: every case the store holds, open, closed or archived, whether or not the
 * pipeline still has it in memory (closed cases leave memory after a while, and a restart recovers only the open
 * ones). Listed from the store's case index, newest latest step first, a page at a time: {@code limit} (1 to
 * 500, default 100) and {@code before}, the {@code next} of the previous page (a store position). Each case is
 * read back through the pipeline and shown as the queue shows it; a scoped user (customer, police, guard) sees
 * only the own cases. Thread-safe.
 */
final class StoredCaseList {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final AccessGuard guard;
    private final AlarmPipeline pipeline;
    private final CaseViews views;
    private final EventQueries queries;

    StoredCaseList(AccessGuard guard, AlarmPipeline pipeline, CaseViews views, EventQueries queries) {
        this.guard = guard;
        this.pipeline = pipeline;
        this.views = views;
        this.queries = queries;
    }

    HttpResponse list(HttpRequest r) {
        Session s = guard.session(r);
        if (guard.check(s, Permission.VIEW_ALARMS, Resource.centre()) instanceof AccessDecision.Denied d
                && d.reason() != DenialReason.OUT_OF_SCOPE) {
            guard.require(r, Permission.VIEW_ALARMS, Resource.centre());
        }
        int limit = intParam(r, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be 1 to " + MAX_LIMIT);
        }
        long before = longParam(r, "before", Long.MAX_VALUE);
        List<StoredCaseState> stored = new ArrayList<>();
        for (CaseState state : CaseState.values()) {
            for (StoredCaseState c : queries.casesIn(state.name())) {
                if (c.lastPosition() < before) {
                    stored.add(c);
                }
            }
        }
        stored.sort(Comparator.comparingLong(StoredCaseState::lastPosition).reversed());
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Long next = null;
        for (StoredCaseState c : stored) {
            if (out.size() == limit) {
                break;
            }
            next = c.lastPosition();
            Optional<AlarmCase> k = pipeline.get(c.caseId());
            if (k.isPresent() && guard.granted(s, Permission.VIEW_ALARMS, CaseAccess.resourceOf(k.get()))) {
                out.add(views.summary(k.get()));
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("cases", out);
        // more to read only when the page stopped before the end of the list
        boolean more = next != null && stored.get(stored.size() - 1).lastPosition() < next;
        if (more) {
            n.put("next", next);
        } else {
            n.putNull("next");
        }
        return HttpResponse.ok(n);
    }

    private static long longParam(HttpRequest r, String name, long dflt) {
        String v = r.query(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a number");
        }
    }

    private static int intParam(HttpRequest r, String name, int dflt) {
        long v = longParam(r, name, dflt);
        return v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? -1 : (int) v;
    }
}
