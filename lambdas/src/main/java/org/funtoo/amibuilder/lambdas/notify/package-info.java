/**
 * The end of a build: its output ({@code SummarizeBuildHandler}) and the notifications of success and failure
 * ({@code NotifySuccessHandler}, {@code NotifyFailureHandler}, sharing {@code NotifyHandler}, {@code Notification} and
 * {@code FailureReport}) to EventBridge and the stack's SNS topic.
 *
 * <p>Creates nothing, deletes nothing.
 */
package org.funtoo.amibuilder.lambdas.notify;
