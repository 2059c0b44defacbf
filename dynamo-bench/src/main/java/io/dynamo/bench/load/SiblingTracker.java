package io.dynamo.bench.load;

import io.dynamo.client.Context;
import io.dynamo.client.Sibling;
import io.dynamo.core.versioning.ContextCodec;
import io.dynamo.core.versioning.InvalidContextException;
import io.dynamo.core.versioning.VersionVector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Follows the reads that saw siblings until a write merges them ({@link SiblingReads}): such a read
 * stays open until an update or delete of the same key succeeds with a context that descends from
 * the read's, which supersedes every sibling the read saw. Also tells whether the siblings came
 * from different worker threads: each value the generator writes starts with its writer's number
 * ({@link #tag}: 0 for the load phase, thread index + 1 in the run phase). Thread-safe; the cost is
 * paid only by reads that saw siblings and by writes of keys with an open read.
 */
final class SiblingTracker {

    /** Bytes at the start of a value that name its writer. */
    static final int TAG_BYTES = 2;

    private final boolean tagged;
    private final ConcurrentHashMap<Long, List<VersionVector>> open = new ConcurrentHashMap<>();
    private final Set<Long> keys = ConcurrentHashMap.newKeySet();
    private final LongAdder reads = new LongAdder();
    private final LongAdder byDifferentThreads = new LongAdder();
    private final LongAdder merged = new LongAdder();

    /** {@code valueSize}: the generator's values, which carry their writer's number when long enough. */
    SiblingTracker(int valueSize) {
        this.tagged = valueSize >= TAG_BYTES;
    }

    /** Writes writer number {@code writer} (0 to 65,535) into the first bytes of {@code value}, if it has room. */
    static void tag(byte[] value, int writer) {
        if (value.length >= TAG_BYTES) {
            value[0] = (byte) (writer >>> 8);
            value[1] = (byte) writer;
        }
    }

    static int writerOf(byte[] value) {
        return value.length < TAG_BYTES ? -1 : (value[0] & 0xff) << 8 | value[1] & 0xff;
    }

    /** A measured read of {@code record} returned {@code siblings} (two or more) under {@code context}. */
    void sawSiblings(long record, Context context, List<Sibling> siblings) {
        reads.increment();
        keys.add(record);
        if (tagged) {
            Set<Integer> writers = new HashSet<>();
            for (Sibling s : siblings) {
                writers.add(writerOf(s.value()));
            }
            if (writers.size() > 1) {
                byDifferentThreads.increment();
            }
        }
        VersionVector version = decode(context);
        if (version == null) {
            return; // cannot be followed: stays unmerged
        }
        open.compute(record, (k, list) -> {
            List<VersionVector> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(version);
            return next;
        });
    }

    /** An update or delete of {@code record} succeeded, written with {@code context}. */
    void wrote(long record, Context context) {
        if (!open.containsKey(record)) {
            return;
        }
        VersionVector written = decode(context);
        if (written == null) {
            return;
        }
        open.computeIfPresent(record, (k, list) -> {
            List<VersionVector> left = new ArrayList<>();
            for (VersionVector read : list) {
                if (written.descendsFrom(read)) {
                    merged.increment();
                } else {
                    left.add(read);
                }
            }
            return left.isEmpty() ? null : left;
        });
    }

    SiblingReads result() {
        long total = reads.sum();
        if (total == 0) {
            return SiblingReads.NONE;
        }
        long merges = merged.sum();
        return new SiblingReads(total, keys.size(), tagged ? byDifferentThreads.sum() : -1, merges, total - merges);
    }

    private static VersionVector decode(Context context) {
        if (context == null) {
            return null;
        }
        if (context.isEmpty()) {
            return VersionVector.empty();
        }
        try {
            return ContextCodec.decode(context.toBytes());
        } catch (InvalidContextException | IllegalArgumentException e) {
            return null;
        }
    }
}
