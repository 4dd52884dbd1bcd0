import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code HelperFailed}; see {@link ErrorName#HelperFailed}. */
public final class HelperFailed extends BuildFailure {
    public HelperFailed(String message) {
        super(ErrorName.HelperFailed, message);
    }
}
