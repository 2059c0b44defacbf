/**
 * Admission control for background work (paper section 6.5): one controller hands out permits
 * at a rate it cuts when foreground latency passes its target and grows when it is below.
 */
package io.dynamo.server.admission;
