package org.funtoo.amibuilder.e2e;

import org.funtoo.amibuilder.sim.SimAws;

/** Tag keys the scenarios look at. */
final class SimResourcesTags {
    static final String BUILD_ID = SimAws.BUILD_ID_TAG;

    private SimResourcesTags() {
    }
}
