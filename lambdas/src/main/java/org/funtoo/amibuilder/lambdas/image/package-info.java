/**
 * Stage 5, the image: the target volume snapshotted ({@code CreateSnapshotHandler}, awaited by
 * {@code CheckSnapshotCompletedHandler}), and an AMI registered from the snapshot ({@code RegisterImageHandler},
 * awaited by {@code CheckImageAvailableHandler}).
 *
 * <p>Creates the snapshot and the image; {@code DeleteFailedImageHandler} deletes both when the build fails (a
 * successful build keeps them: the snapshot backs the image).
 */
package org.funtoo.amibuilder.lambdas.image;
