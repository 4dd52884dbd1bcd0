package org.funtoo.amibuilder.lambdas.teardown;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.funtoo.amibuilder.lambdas.core.AwsErrors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;

/**
 * Where a build's image copies may be when nothing says where they are (the janitor's {@code {buildId}} document,
 * the daily sweep): every region enabled for the account except the home region. DescribeRegions without
 * {@code AllRegions} lists exactly the enabled ones, the only regions CopyImage can reach.
 */
public final class OtherRegions {
    /**
     * What a region answers when it is closed to the builder: an SCP that denies the region (UnauthorizedOperation),
     * a region not enabled after all (AuthFailure, OptInRequired). CopyImage could not have put anything there
     * either, and one such region must not stop the search of the others.
     */
    private static final Set<String> CLOSED = Set.of("UnauthorizedOperation", "AuthFailure", "OptInRequired");

    private OtherRegions() {
    }

    public static List<String> of(Ec2Client home, String homeRegion) {
        return home.describeRegions(r -> { }).regions().stream().map(Region::regionName)
                .filter(region -> !region.equals(homeRegion)).toList();
    }

    /** Runs {@code search} in one of the other regions; a region closed to the builder is skipped. */
    public static void searchUnlessClosed(Runnable search) {
        searchUnlessClosed(() -> {
            search.run();
            return true;
        }, false);
    }

    /** {@code search}'s result, or {@code closed} when the region is closed to the builder. */
    public static <T> T searchUnlessClosed(Supplier<T> search, T closed) {
        try {
            return search.get();
        } catch (AwsServiceException e) {
            if (CLOSED.contains(AwsErrors.code(e))) {
                return closed;
            }
            throw e;
        }
    }
}
