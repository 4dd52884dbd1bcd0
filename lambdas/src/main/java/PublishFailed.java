import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code PublishFailed}; see {@link ErrorName#PublishFailed}. */
public final class PublishFailed extends BuildFailure {
    public PublishFailed(String message) {
        super(ErrorName.PublishFailed, message);
    }
}
