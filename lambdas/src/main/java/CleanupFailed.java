import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code CleanupFailed}; see {@link ErrorName#CleanupFailed}. */
public final class CleanupFailed extends BuildFailure {
    public CleanupFailed(String message) {
        super(ErrorName.CleanupFailed, message);
    }
}
