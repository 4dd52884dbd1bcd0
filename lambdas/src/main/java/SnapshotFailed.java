import org.funtoo.amibuilder.lambdas.core.BuildFailure;
import org.funtoo.amibuilder.lambdas.core.ErrorName;

/** Named workflow error {@code SnapshotFailed}; see {@link ErrorName#SnapshotFailed}. */
public final class SnapshotFailed extends BuildFailure {
    public SnapshotFailed(String message) {
        super(ErrorName.SnapshotFailed, message);
    }
}
