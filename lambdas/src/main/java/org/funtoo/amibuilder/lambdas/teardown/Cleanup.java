package org.funtoo.amibuilder.lambdas.teardown;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import org.funtoo.amibuilder.lambdas.core.Tags;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What every cleanup handler does the same way (ARCHITECTURE.md, "The teardown"): find targets by the id the state document knows
 * and by the build-id tag (a crashed attempt may have created something it never reported), keep only what
 * carries the managed tag and this build's id (an id in the input of a direct invocation that names another
 * build's resource, or one the builder did not make, is left alone), and take "already gone" as done. Describing by an id filter rather than by id list
 * keeps an id that no longer exists from failing the whole call.
 */
public final class Cleanup {
    private Cleanup() {
    }

    /**
     * @param describe  one Describe call with the given filters
     * @param idFilter  the Describe filter name for an id, e.g. {@code vpc-id}
     * @param knownIds  the ids from {@code resources}
     * @return the managed targets of build {@code buildId}, each once
     */
    public static <T> List<T> targets(Function<List<Filter>, List<T>> describe, Function<T, String> id,
                               Function<T, List<Tag>> tags, String idFilter, List<String> knownIds,
                               String buildId) {
        Map<String, T> found = new LinkedHashMap<>();
        if (!knownIds.isEmpty()) {
            describe.apply(List.of(Tags.filter(idFilter, knownIds))).forEach(t -> found.put(id.apply(t), t));
        }
        describe.apply(Tags.ofBuild(buildId)).forEach(t -> found.putIfAbsent(id.apply(t), t));
        List<T> managed = new ArrayList<>();
        found.values().stream().filter(t -> Tags.managed(tags.apply(t))
                && Tags.value(tags.apply(t), Tags.BUILD_ID).filter(buildId::equals).isPresent())
                .forEach(managed::add);
        return managed;
    }

    /** Runs a delete; the target being gone already counts as success. */
    public static void deleteIgnoringGone(Runnable delete) {
        try {
            delete.run();
        } catch (AwsServiceException e) {
            if (!AwsErrors.notFound(e)) {
                throw e;
            }
        }
    }
}
