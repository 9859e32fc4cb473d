package org.arc4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.arc4j.core.event.Category;
import org.arc4j.core.store.RecordType;
import org.arc4j.core.store.StoredRecord;
import org.junit.jupiter.api.Test;

/** A subscriber that stops and resumes misses nothing. */
class StoreSubscriptionsTest {

    @Test
    void aSubscriberThatStopsAndResumesMissesNothingAndGetsAtLeastOnce() {
        Centre c = new Centre().start();
        StoreSubscriptions subs = new StoreSubscriptions(c.store, c.scheduler.clock());
        List<String> seen = new ArrayList<>();
        StoreSubscriptions.Subscriber police = subs.subscribe("police-gw", Set.of(RecordType.CASE_TRANSITION), 0,
                (StoredRecord r) -> seen.add(r.subject() + "@" + r.position()));
        String a = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "001")).id();
        String b = "C" + c.ingest(Centre.alarm(Centre.SHOP_IP, Category.INTRUSION, "130", "002")).id();
        assertThat(seen).hasSize(2);
        police.commit();
        c.pipeline.present(a, "console-1");
        assertThat(seen).hasSize(3);
        police.close(); // crashed before committing the third

        c.pipeline.present(b, "console-1"); // happens while it is down
        c.pipeline.take(b, "op1");

        List<String> resumed = new ArrayList<>();
        StoreSubscriptions.Subscriber again = subs.subscribe("police-gw", Set.of(RecordType.CASE_TRANSITION), 1,
                (StoredRecord r) -> resumed.add(r.subject() + "@" + r.position()));
        // the uncommitted one again, then the two it missed
        assertThat(resumed).hasSize(3);
        assertThat(resumed.get(0)).isEqualTo(seen.get(2));
        assertThat(resumed.subList(1, 3)).allSatisfy(s -> assertThat(s).startsWith(b + "@"));
        again.close();
        // the checkpoint covers the last transition it processed (its own checkpoint records come after it)
        long lastTransition = Long.parseLong(resumed.get(2).substring(resumed.get(2).indexOf('@') + 1));
        assertThat(subs.checkpoint("police-gw")).isEqualTo(lastTransition);

        // a third start gets only what is new; other subscribers keep their own checkpoints
        List<String> third = new ArrayList<>();
        subs.subscribe("police-gw", Set.of(RecordType.CASE_TRANSITION), 1, r -> third.add(r.subject()));
        List<String> console = new ArrayList<>();
        subs.subscribe("console", Set.of(RecordType.CASE_TRANSITION), 1, r -> console.add(r.subject()));
        assertThat(third).isEmpty();
        assertThat(console).hasSize(5);
        c.pipeline.close(b, "op1", "ok");
        assertThat(third).containsExactly(b);
        assertThat(console).hasSize(6);
    }

    @Test
    void aConsumerThatFailsStopsAndGetsTheRecordAgain() {
        Centre c = new Centre().start();
        StoreSubscriptions subs = new StoreSubscriptions(c.store, c.scheduler.clock());
        List<Long> got = new ArrayList<>();
        boolean[] fail = {true};
        subs.subscribe("phone", Set.of(RecordType.CASE_TRANSITION), 1, r -> {
            if (fail[0]) {
                throw new IllegalStateException("phone system down");
            }
            got.add(r.position());
        });
        c.ingest(Centre.alarm(Centre.SHOP_IP, Category.FIRE, "110", "001"));
        assertThat(got).isEmpty();
        fail[0] = false;
        subs.subscribe("phone", Set.of(RecordType.CASE_TRANSITION), 1, r -> got.add(r.position()));
        assertThat(got).hasSize(1);
    }
}
