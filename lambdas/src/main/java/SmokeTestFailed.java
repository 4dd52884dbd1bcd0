import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code SmokeTestFailed}; see {@link ErrorName#SmokeTestFailed}. */
public final class SmokeTestFailed extends BuildFailure {
    public SmokeTestFailed(String message) {
        super(ErrorName.SmokeTestFailed, message);
    }
}
