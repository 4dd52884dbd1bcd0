import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code AwsNotReady}; see {@link ErrorName#AwsNotReady}. */
public final class AwsNotReady extends BuildFailure {
    public AwsNotReady(String message) {
        super(ErrorName.AwsNotReady, message);
    }
}
