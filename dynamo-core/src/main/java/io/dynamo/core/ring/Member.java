package io.dynamo.core.ring;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node as the ring sees it: its id and the zone (rack, availability zone, data centre) it
 * fails together with. Preference lists spread a key's replicas over distinct zones when the
 * zones allow it.
 */
public record Member(NodeId id, String zone) implements Comparable<Member> {

    /** The zone of nodes that were not given one. */
    public static final String DEFAULT_ZONE = "default";

    private static final Pattern VALID_ZONE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public Member {
        Objects.requireNonNull(id, "id");
        if (zone == null || !VALID_ZONE.matcher(zone).matches()) {
            throw new IllegalArgumentException("invalid zone '" + zone + "' for node " + id
                    + ": use 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
    }

    public static Member of(String id) {
        return new Member(NodeId.of(id), DEFAULT_ZONE);
    }

    public static Member of(String id, String zone) {
        return new Member(NodeId.of(id), zone);
    }

    @Override
    public int compareTo(Member other) {
        return id.compareTo(other.id);
    }
}
