import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code NetworkInvalid}; see {@link ErrorName#NetworkInvalid}. */
public final class NetworkInvalid extends BuildFailure {
    public NetworkInvalid(String message) {
        super(ErrorName.NetworkInvalid, message);
    }
}
