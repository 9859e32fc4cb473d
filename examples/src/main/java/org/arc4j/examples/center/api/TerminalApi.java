package org.arc4j.examples.center.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.arc4j.core.security.AccessControl;
import org.arc4j.core.security.AuditLog;
import org.arc4j.core.security.SessionManager;
import org.arc4j.examples.center.config.CenterConfig;
import org.arc4j.examples.center.http.Router;
import org.arc4j.core.pipeline.AlarmPipeline;
import org.arc4j.examples.center.CaseViews;
import org.arc4j.examples.center.forward.Forwarder;
import org.arc4j.examples.center.terminal.OnSitePhotos;
import org.arc4j.examples.center.terminal.RemoteControl;
import org.arc4j.examples.center.terminal.WorkRecords;
import org.arc4j.examples.center.video.VideoService;

/**
 * The routes of remote control ({@link ControlResource}, GA 1383 远程控制) and of the guard, police and customer
 * terminals ({@link TerminalResource}, GA 1383 终端部分) and operators' work recordings ({@link WorkRecordResource},
 * GA 1383 记录存储与播放), added to the centre's router.
 */
public final class TerminalApi {
    /**
     * What these routes work on.
     *
     * @param sessions resolves bearer tokens
     * @param access   the permission check
     * @param audit    where denials go
     * @param config   the configuration (which customer each site belongs to)
     * @param control  the remote control
     * @param pipeline the alarm pipeline (the terminals' cases and guard steps)
     * @param views    the JSON of cases
     * @param forwarder the forwarder (a police terminal's queue), or null
     * @param video    the video plane (the cases' clips), or null
     * @param photos   the guards' on-site photos
     * @param work     operators' work records and screen recordings
     */
    public record Parts(SessionManager sessions, AccessControl access, AuditLog audit, CenterConfig config,
                        RemoteControl control, AlarmPipeline pipeline, CaseViews views, Forwarder forwarder,
                        VideoService video, OnSitePhotos photos,
                        WorkRecords work) {
        /** Every part is required. */
        public Parts {
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(access, "access");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(pipeline, "pipeline");
            Objects.requireNonNull(views, "views");
            Objects.requireNonNull(photos, "photos");
            Objects.requireNonNull(work, "work");
        }
    }

    private TerminalApi() {
    }

    /**
     * Adds the routes.
     *
     * @param router the API's router
     * @param p      the parts
     */
    public static void routes(Router router, Parts p) {
        AccessGuard guard = new AccessGuard(p.sessions(), p.access(), p.audit());
        Map<String, String> customerOfSite = new HashMap<>();
        p.config().customers().forEach(cu -> cu.sites().forEach(s -> customerOfSite.put(s.id(), cu.id())));
        // the directory as it is now (sites added through the administration API too), else the file's
        new ControlResource(guard, p.control(), site -> {
            String customer = p.views().customerOfSite(site);
            return customer != null ? customer : customerOfSite.get(site);
        }).routes(router);
        new TerminalResource(guard, p.pipeline(), p.views(), p.forwarder(), p.video(), p.photos(), p.audit())
                .routes(router);
        new WorkRecordResource(guard, p.work(), p.audit()).routes(router);
    }
}
