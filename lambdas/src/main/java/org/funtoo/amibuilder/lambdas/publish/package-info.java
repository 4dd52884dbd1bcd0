/**
 * Stage 7, publishing a tested image: copies to other regions ({@code CopyImageHandler}, awaited by
 * {@code CheckImageCopiesHandler}), launch permissions ({@code ShareImageHandler}), deprecation time
 * ({@code DeprecateImageHandler}), the SSM parameter with the image id ({@code PublishParameterHandler}), retention of
 * older images ({@code ApplyRetentionHandler}, {@code OrphanSnapshots}). {@code PublishedImages} lists this build's
 * image and copies.
 *
 * <p>Creates image copies (and their snapshots) and the parameter; deletes: {@code DeleteFailedImageCopiesHandler} the
 * copies of a failed build, {@code ApplyRetentionHandler} the images (and snapshots) retention drops.
 */
package org.funtoo.amibuilder.lambdas.publish;
