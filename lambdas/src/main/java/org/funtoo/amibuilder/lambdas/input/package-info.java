/**
 * Stage 1, input and preflight: the execution input validated and defaulted into {@code config}
 * ({@code ValidateInputHandler}), the helper image resolved and checked ({@code ResolveHelperImageHandler}), the image
 * name checked to be free ({@code CheckImageNameHandler}), an availability zone that offers the instance types chosen
 * ({@code SelectAvailabilityZoneHandler}, {@code InstanceTypes}).
 *
 * <p>Creates nothing, deletes nothing: a bad input or an account that cannot run the build fails here, before anything
 * is paid for.
 */
package org.funtoo.amibuilder.lambdas.input;
