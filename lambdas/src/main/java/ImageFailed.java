import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code ImageFailed}; see {@link ErrorName#ImageFailed}. */
public final class ImageFailed extends BuildFailure {
    public ImageFailed(String message) {
        super(ErrorName.ImageFailed, message);
    }
}
