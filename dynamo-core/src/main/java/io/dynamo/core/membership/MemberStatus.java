package io.dynamo.core.membership;

/**
 * Where a member is in its life in the cluster. The order is the order of that life: a merge of
 * two entries that disagree at the same version keeps the later status, so a status never goes
 * back without a new version.
 */
public enum MemberStatus {
    /** Asked to join; the claimant has not yet given it partitions. */
    JOINING,
    /** Holds partitions and serves requests. */
    UP,
    /** Asked to leave; still listed until the claimant takes its partitions away. */
    LEAVING,
    /** Gone: holds no partitions; kept so that old gossip cannot bring it back. */
    LEFT;

    /** Whether the member should hold partitions in the next ring. */
    public boolean claimsPartitions() {
        return this == JOINING || this == UP;
    }
}
