import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code InvalidInput}; see {@link ErrorName#InvalidInput}. */
public final class InvalidInput extends BuildFailure {
    public InvalidInput(String message) {
        super(ErrorName.InvalidInput, message);
    }
}
