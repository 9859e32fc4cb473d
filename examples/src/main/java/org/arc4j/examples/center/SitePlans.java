package org.arc4j.examples.center;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.examples.center.video.VideoConfig;
import org.arc4j.examples.center.video.VideoService;

/**
 * The e-map's data (GA 1383 电子地图): every configured site with its plan image, its zones and cameras placed on it
 * (fractions of the plan's width and height). The console turns a marker red while an open case concerns its zone
 * or camera. Thread-safe.
 */
final class SitePlans {
    private final CenterConfig config;
    private final CenterModel model;
    private final VideoService video;

    SitePlans(CenterConfig config, CenterModel model, VideoService video) {
        this.config = config;
        this.model = model;
        this.video = video;
    }

    /** @return {@code {"sites":[{id, name, customer, planImage, zones:[{number,name,x,y}], cameras:[…]}]}} */
    ObjectNode json() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode sites = root.putArray("sites");
        for (CenterConfig.Customer cu : config.customers()) {
            for (CenterConfig.Site s : cu.sites()) {
                ObjectNode n = sites.addObject();
                n.put("id", s.id());
                n.put("name", s.name());
                n.put("customer", cu.name());
                n.put("planImage", model.planImage(s.id()));
                ArrayNode zones = n.putArray("zones");
                for (CenterConfig.Zone z : s.zones()) {
                    if (z.x() != null && z.y() != null) {
                        zones.addObject().put("number", z.number()).put("name", z.name()).put("x", z.x())
                                .put("y", z.y());
                    }
                }
                ArrayNode cams = n.putArray("cameras");
                for (VideoConfig.Camera c : video.configs().values()) {
                    if (s.id().equals(c.site()) && c.x() != null && c.y() != null) {
                        cams.addObject().put("id", c.id()).put("name", c.name()).put("zone", c.zone())
                                .put("x", c.x()).put("y", c.y());
                    }
                }
            }
        }
        return root;
    }
}
