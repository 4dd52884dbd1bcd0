package org.funtoo.amibuilder.lambdas.core;

/** Named workflow error {@code SnapshotFailed}; see {@link ErrorName#SnapshotFailed}. Made by {@link ErrorName#failure}. */
public final class SnapshotFailed extends BuildFailure {
    SnapshotFailed(String message) {
        super(ErrorName.SnapshotFailed, message);
    }
}
