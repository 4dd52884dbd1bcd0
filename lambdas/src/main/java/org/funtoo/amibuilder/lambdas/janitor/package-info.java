/**
 * The janitor's daily sweep ({@code JanitorSweepHandler}): finds ended builds that still own tagged resources and
 * starts the cleanup state machine for each.
 *
 * <p>Creates nothing but cleanup executions; deletes nothing itself (the cleanup chain does).
 */
package org.funtoo.amibuilder.lambdas.janitor;
