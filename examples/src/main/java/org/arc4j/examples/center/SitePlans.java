package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.examples.center.video.EmapEdits;
import org.arc4j.examples.center.video.VideoConfig;
import org.arc4j.examples.center.video.VideoService;

/**
 * The e-map's data (GA 1383 电子地图): every configured site with its plan image, its zones and cameras placed on it
 * (fractions of the plan's width and height), and the overview of all sites. What the e-map editor changed
 * ({@link EmapEdits}: uploaded plans, moved markers) wins over the configuration file; a zone or camera placed
 * nowhere comes with {@code "placed": false} and no position, for the editor to place. The console turns a marker
 * red while an open case concerns its zone or camera. Thread-safe.
 */
final class SitePlans {
    private final CenterConfig config;
    private final CenterModel model;
    private final VideoService video;
    private final EmapEdits edits;

    SitePlans(CenterConfig config, CenterModel model, VideoService video, EmapEdits edits) {
        this.config = config;
        this.model = model;
        this.video = video;
        this.edits = edits;
    }

    /** A marker's position: the editor's, else the file's; absent ones are {@code placed: false}. */
    private ObjectNode place(ObjectNode n, String site, String marker, Double x, Double y) {
        EmapEdits.Position p = edits.position(site, marker);
        if (p != null) {
            return n.put("x", p.x()).put("y", p.y()).put("placed", true);
        }
        if (x != null && y != null) {
            return n.put("x", x).put("y", y).put("placed", true);
        }
        return n.put("placed", false);
    }

    /**
     * @return {@code {"sites":[{id, name, customer, planImage, zones:[{number,name,x,y,placed}], cameras:[…]}],
     *         "overview":{planImage, sites:[{id,name,x,y,placed}]}}}
     */
    ObjectNode json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode sites = root.putArray("sites");
        ObjectNode overview = root.putObject("overview");
        overview.put("planImage", edits.planImage(EmapEdits.OVERVIEW));
        overview.set("annotations", edits.annotationsJson(EmapEdits.OVERVIEW));
        ArrayNode all = overview.putArray("sites");
        for (CenterConfig.Customer cu : config.customers()) {
            for (CenterConfig.Site s : cu.sites()) {
                place(all.addObject().put("id", s.id()).put("name", s.name()), EmapEdits.OVERVIEW, "site:" + s.id(),
                        null, null);
                ObjectNode n = sites.addObject();
                n.put("id", s.id());
                n.put("name", s.name());
                n.put("customer", cu.name());
                String uploaded = edits.planImage(s.id());
                n.put("planImage", uploaded != null ? uploaded : model.planImage(s.id()));
                n.set("annotations", edits.annotationsJson(s.id()));
                ArrayNode zones = n.putArray("zones");
                for (CenterConfig.Zone z : s.zones()) {
                    place(zones.addObject().put("number", z.number()).put("name", z.name()), s.id(),
                            "zone:" + z.number(), z.x(), z.y());
                }
                ArrayNode cams = n.putArray("cameras");
                for (VideoConfig.Camera c : video.configs().values()) {
                    if (s.id().equals(c.site())) {
                        place(cams.addObject().put("id", c.id()).put("name", c.name()).put("zone", c.zone()), s.id(),
                                "camera:" + c.id(), c.x(), c.y());
                    }
                }
            }
        }
        return root;
    }
}
