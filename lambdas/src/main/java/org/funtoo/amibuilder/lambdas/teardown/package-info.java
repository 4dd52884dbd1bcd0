/**
 * What every cleanup handler shares, whatever stage created the thing it deletes: {@code Cleanup} finds the targets
 * by id and by the build-id tag, keeps only what carries the builder's tags, and takes "already gone" as done;
 * {@code OtherRegions} lists the regions a build's image copies may be in when nothing says where.
 *
 * <p>The delete handlers themselves sit next to their creates, in the stage packages ({@code network},
 * {@code helper}, {@code image}, {@code smoketest}, {@code publish}); the order they run in is the cleanup chain of
 * the state machine.
 */
package org.funtoo.amibuilder.lambdas.teardown;
