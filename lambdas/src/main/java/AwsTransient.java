import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code AwsTransient}; see {@link ErrorName#AwsTransient}. */
public final class AwsTransient extends BuildFailure {
    public AwsTransient(String message) {
        super(ErrorName.AwsTransient, message);
    }
}
