/**
 * Stage 4, the bootstrap: the stack's SSM document run on the helper ({@code SendBootstrapCommandHandler}) and
 * awaited ({@code GetBootstrapCommandHandler}, whose result carries the stage3 that was installed).
 *
 * <p>Creates an SSM command, which has nothing to delete; the disk it writes is the helper stage's target volume.
 */
package org.funtoo.amibuilder.lambdas.bootstrap;
