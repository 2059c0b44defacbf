package io.dynamo.ycsb;

import io.dynamo.client.Sibling;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The binding's sibling resolver: concurrent versions of one record (siblings, left by two
 * writes that did not see each other) are merged field by field. Each field is taken from the
 * sibling with the latest timestamp ({@link Sibling#timestampMillis()}, the coordinator's clock
 * when it accepted the write) among those that have the field; on equal timestamps, the larger
 * value (compared as unsigned bytes) wins, so the result does not depend on the order the
 * siblings come in.
 *
 * <p>What it gives: siblings holding different sets of fields lose none of them. An insert
 * (a blind write) of a key that already has a value, or an update of a key with no value that
 * races an insert, leaves siblings with different fields; the merged record has the union, each
 * field at its latest value, which is what YCSB's update of a subset of fields expects to find.
 * The merge is commutative and idempotent, and uses the nodes' clocks only to order writes that
 * were truly concurrent.
 *
 * <p>What it does not give: the binding writes whole records (an update reads, merges and writes
 * every field), so two concurrent updates leave two siblings that each hold every field, and the
 * rule reduces to last writer wins on the record: if one update changed {@code field1} and a
 * concurrent one {@code field7}, the merged record is the later sibling's, with its new
 * {@code field7} and the old {@code field1}: the earlier update is lost. Keeping both would
 * need a timestamp per field in the record, which {@link RecordCodec}'s format does not carry.
 */
public final class SiblingMerge {

    private SiblingMerge() {
    }

    /**
     * The one record the siblings merge to (the record itself for one sibling; empty for none),
     * with fields in ascending name order.
     *
     * @throws RecordFormatException if a sibling's value is not a record
     */
    public static Map<String, byte[]> merge(List<Sibling> siblings) {
        Objects.requireNonNull(siblings, "siblings");
        if (siblings.size() == 1) {
            return RecordCodec.decode(siblings.get(0).value());
        }
        Map<String, byte[]> values = new TreeMap<>();
        Map<String, Long> stamps = new HashMap<>();
        for (Sibling sibling : siblings) {
            long at = sibling.timestampMillis();
            for (Map.Entry<String, byte[]> field : RecordCodec.decode(sibling.value()).entrySet()) {
                String name = field.getKey();
                Long seen = stamps.get(name);
                if (seen == null || at > seen
                        || (at == seen && Arrays.compareUnsigned(field.getValue(), values.get(name)) > 0)) {
                    values.put(name, field.getValue());
                    stamps.put(name, at);
                }
            }
        }
        return new LinkedHashMap<>(values);
    }
}
