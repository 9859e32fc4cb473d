package org.arc4j.examples.center.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import org.arc4j.core.intake.StoreAlarmIntake;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.examples.center.EventIndex;
import org.arc4j.examples.center.http.HttpRequest;
import org.arc4j.examples.center.http.HttpResponse;

/**
 * {@code GET /api/health}, without a token: up, the centre's time, how many events and open cases it holds and
 * how many accepted messages are not yet durable. For load balancers and the process tests. Thread-safe.
 */
final class HealthResource {
    private final Clock clock;
    private final EventIndex events;
    private final AlarmPipeline pipeline;
    private final StoreAlarmIntake intake;

    HealthResource(Clock clock, EventIndex events, AlarmPipeline pipeline, StoreAlarmIntake intake) {
        this.clock = clock;
        this.events = events;
        this.pipeline = pipeline;
        this.intake = intake;
    }

    HttpResponse health(HttpRequest r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("status", "up");
        n.put("time", clock.instant().toString());
        n.put("events", events.size());
        n.put("openCases", pipeline.openCases().size());
        n.put("intakeInFlight", intake.inFlight());
        return HttpResponse.ok(n);
    }
}
