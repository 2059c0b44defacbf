/**
 * Pure read and write quorum tallies (paper §5): accumulators that count replica replies against
 * R, W and DW and decide a request's outcome, with no I/O and no time. The request state machines
 * in the server move messages and timers; these classes decide, and are tested exhaustively.
 */
package io.dynamo.core.quorum;
