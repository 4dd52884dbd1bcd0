package org.funtoo.amibuilder.sim;

import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** What every simulated service gives the account: its live resources and its way of spelling an error. */
interface SimService {
    /** Resources that exist now (deleted/terminated ones are not listed once AWS would stop showing them). */
    List<SimResource> inventory();

    /** The exception the real SDK client would throw for this error code (modeled where the SDK has a class). */
    AwsServiceException error(String code, String message);
}
