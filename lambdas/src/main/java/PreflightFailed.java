import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code PreflightFailed}; see {@link ErrorName#PreflightFailed}. */
public final class PreflightFailed extends BuildFailure {
    public PreflightFailed(String message) {
        super(ErrorName.PreflightFailed, message);
    }
}
