/**
 * Always-on anti-entropy (paper section 4.7): replicas of a partition compare Merkle trees and
 * exchange only the keys that differ, merging them causally.
 */
package io.dynamo.server.antientropy;
