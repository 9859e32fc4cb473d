package org.arc4j.gb28181.manscdp;

import java.util.List;

/**
 * The answer to a PresetQuery (GB/T 28181-2016 A.2.6.10): the presets of a channel. Immutable.
 *
 * @param deviceId the channel
 * @param sn       the SN of the query
 * @param presets  the presets
 */
public record PresetQueryResponse(String deviceId, long sn, List<Preset> presets) {
    /**
     * One preset.
     *
     * @param id   PresetID
     * @param name PresetName, or null
     */
    public record Preset(String id, String name) {
    }

    /** Copies the list. */
    public PresetQueryResponse {
        presets = List.copyOf(presets);
    }

    /**
     * @param d the document
     * @return the answer
     */
    public static PresetQueryResponse of(ManscdpDocument d) {
        ManscdpElement list = d.root().child("PresetList");
        List<Preset> presets = list == null ? List.of() : list.children("Item").stream()
                .map(i -> new Preset(i.childText("PresetID"), i.childText("PresetName"))).toList();
        return new PresetQueryResponse(d.deviceId(), d.sn(), presets);
    }
}
