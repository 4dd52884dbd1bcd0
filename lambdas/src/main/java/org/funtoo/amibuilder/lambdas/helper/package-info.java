/**
 * Stage 3, the helper instance the bootstrap runs on: launched with an empty target volume
 * ({@code LaunchHelperInstanceHandler}), awaited until running ({@code CheckHelperInstanceRunningHandler}) and until
 * its SSM agent is online ({@code CheckSsmAgentHandler}).
 *
 * <p>Creates the helper instance and its target volume; deletes them: {@code TerminateInstancesHandler}, then
 * {@code CheckInstancesTerminatedHandler} (the wait until they are gone), then {@code DeleteVolumesHandler} (both
 * volumes are DeleteOnTermination; it removes any that outlived their instance).
 */
package org.funtoo.amibuilder.lambdas.helper;
