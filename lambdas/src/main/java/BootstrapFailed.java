import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code BootstrapFailed}; see {@link ErrorName#BootstrapFailed}. */
public final class BootstrapFailed extends BuildFailure {
    public BootstrapFailed(String message) {
        super(ErrorName.BootstrapFailed, message);
    }
}
