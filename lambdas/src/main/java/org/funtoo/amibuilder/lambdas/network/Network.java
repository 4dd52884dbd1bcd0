package org.funtoo.amibuilder.lambdas.network;

import org.funtoo.amibuilder.lambdas.core.BuildConfig;
import org.funtoo.amibuilder.lambdas.core.Resources;
import org.funtoo.amibuilder.lambdas.core.StateDocument;

/** Where instances go: the temporary network this build created, or the caller's subnet and group. */
public record Network(String subnetId, String securityGroupId) {
    public static Network of(StateDocument doc) {
        BuildConfig config = doc.config();
        Resources resources = doc.resources();
        if (config.temporaryNetwork()) {
            return new Network(resources.require(Resources.SUBNET_ID), resources.require(Resources.SECURITY_GROUP_ID));
        }
        return new Network(config.subnetId().orElseThrow(), config.securityGroupId().orElseThrow());
    }
}
