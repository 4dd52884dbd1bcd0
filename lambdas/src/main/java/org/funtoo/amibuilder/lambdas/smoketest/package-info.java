/**
 * Stage 6, the smoke test: an instance booted from the new image ({@code LaunchTestInstanceHandler}) must pass its
 * status checks ({@code CheckTestInstanceStatusHandler}) and print the first-boot marker on its console
 * ({@code CheckFirstBootMarkerHandler}, {@code ConsoleOutput}).
 *
 * <p>Creates the test instance; deletes it: {@code TerminateTestInstanceHandler}, then
 * {@code CheckTestInstanceTerminatedHandler} (the wait until it is gone). The cleanup chain's
 * {@code TerminateInstancesHandler} also finds it by tag after a failure.
 */
package org.funtoo.amibuilder.lambdas.smoketest;
