package org.funtoo.amibuilder.sim;

import java.util.Map;

/** One resource of the simulated account, as the inventory reports it. */
public record SimResource(String region, String service, String type, String id, String state,
                          Map<String, String> tags) {
    public String tag(String key) {
        return tags.get(key);
    }

    @Override
    public String toString() {
        return type + " " + id + " (" + state + ", " + region + ")";
    }
}
