package org.arc4j.gb28181.cascade;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.arc4j.gb28181.manscdp.PtzCmd;

/**
 * What the centre exports to its upper platforms and how their commands reach the devices: the catalog, and the
 * PTZ and guard commands (GB/T 28181-2016 A.2.3.1 DeviceControl) relayed to the lower device by the centre. Called
 * on a network thread: the catalog must be cheap to read (a snapshot), commands must not block (answer with a
 * stage).
 */
public interface CascadeSource {
    /** @return every item to show, parents before or after their children (any order) */
    List<ExportedItem> catalog();

    /**
     * What one upper platform sees: its catalog answers and notifications, the channels it may play and control,
     * the alarms and positions its subscriptions get. An item it does not see is unknown to it (404); an alarm of
     * such an item forwarded to it goes up as the centre's own. By default every upper platform sees the whole
     * {@link #catalog()}; a view that leaves out an item's parent shows the item under the centre.
     *
     * @param upperId the upper platform's ID
     * @return the items it sees
     */
    default List<ExportedItem> catalog(String upperId) {
        return catalog();
    }

    /**
     * Relays a PTZ command to the device behind an exported channel. Unsupported by default.
     *
     * @param localKey the channel's local key
     * @param cmd      the command
     * @return true once the device accepted it
     */
    default CompletionStage<Boolean> ptz(String localKey, PtzCmd cmd) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Relays an arm or disarm (GuardCmd SetGuard / ResetGuard) to the device or panel behind an exported item.
     * Unsupported by default.
     *
     * @param localKey the item's local key
     * @param arm      true to arm
     * @return true once the device accepted it
     */
    default CompletionStage<Boolean> guard(String localKey, boolean arm) {
        return CompletableFuture.completedFuture(false);
    }

    /**
     * Where the live video of exported channels comes from when an upper platform INVITEs one (GB/T 28181-2016
     * §9.2 through a lower platform). None by default: every INVITE is answered 488.
     *
     * @return the media source, or null
     */
    default CascadeMediaSource media() {
        return null;
    }
}
