package io.dynamo.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The proportions of each {@link Operation} in a workload. Proportions are weights: they need not
 * sum to 1 (50/50 and 0.5/0.5 are the same mix), but each must be finite and at least 0, and they
 * must sum to more than 0. The YCSB core workloads this generator can run are presets:
 *
 * <ul>
 *   <li>{@code a}: 50 % read, 50 % update (update heavy)
 *   <li>{@code b}: 95 % read, 5 % update (read mostly)
 *   <li>{@code c}: 100 % read (read only)
 *   <li>{@code f}: 50 % read, 50 % read-modify-write
 *   <li>{@code w}: 100 % update (not in YCSB: write only)
 * </ul>
 *
 * YCSB's d (read latest) and e (short scans) are not offered: the store has no scans, and reads
 * here follow the key distribution, not the latest inserts.
 *
 * @param name the preset's letter, or {@code custom}
 */
public record OperationMix(String name, double read, double update, double insert, double readModifyWrite,
        double delete) {

    /** The preset names, in the order help texts list them. */
    public static final List<String> PRESETS = List.of("a", "b", "c", "f", "w");

    public OperationMix {
        Objects.requireNonNull(name, "name");
        check("read", read);
        check("update", update);
        check("insert", insert);
        check("rmw", readModifyWrite);
        check("delete", delete);
        double sum = read + update + insert + readModifyWrite + delete;
        if (!(sum > 0) || Double.isInfinite(sum)) {
            throw new IllegalArgumentException("the operation proportions (read " + fmt(read) + ", update "
                    + fmt(update) + ", insert " + fmt(insert) + ", rmw " + fmt(readModifyWrite) + ", delete "
                    + fmt(delete) + ") must sum to more than 0");
        }
    }

    private static void check(String what, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            throw new IllegalArgumentException("the " + what + " proportion must be a finite number >= 0, was "
                    + fmt(value));
        }
    }

    /** A custom mix of these weights. */
    public static OperationMix of(double read, double update, double insert, double readModifyWrite, double delete) {
        return new OperationMix("custom", read, update, insert, readModifyWrite, delete);
    }

    /** The YCSB-style preset {@code a}, {@code b}, {@code c}, {@code f} or {@code w} (case-insensitive). */
    public static OperationMix preset(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "a" -> new OperationMix("a", 50, 50, 0, 0, 0);
            case "b" -> new OperationMix("b", 95, 5, 0, 0, 0);
            case "c" -> new OperationMix("c", 100, 0, 0, 0, 0);
            case "f" -> new OperationMix("f", 50, 0, 0, 50, 0);
            case "w" -> new OperationMix("w", 0, 100, 0, 0, 0);
            default -> throw new IllegalArgumentException("unknown workload '" + name + "': use one of "
                    + String.join(", ", PRESETS) + " (d and e, YCSB's read-latest and scan workloads, are not "
                    + "supported), or give the proportions with --read, --update, --insert, --rmw, --delete");
        };
    }

    /** The weight of {@code op}. */
    public double weight(Operation op) {
        return switch (op) {
            case READ -> read;
            case UPDATE -> update;
            case INSERT -> insert;
            case READ_MODIFY_WRITE -> readModifyWrite;
            case DELETE -> delete;
        };
    }

    /** The share of {@code op}, from 0 to 1. */
    public double share(Operation op) {
        return weight(op) / sum();
    }

    private double sum() {
        return read + update + insert + readModifyWrite + delete;
    }

    /** The operations with a weight above 0, in {@link Operation} order. */
    public List<Operation> operations() {
        List<Operation> out = new ArrayList<>();
        for (Operation op : Operation.values()) {
            if (weight(op) > 0) {
                out.add(op);
            }
        }
        return out;
    }

    /**
     * The operation a uniform draw {@code u} in [0, 1) selects: the operations' shares laid end to
     * end in {@link Operation} order, and {@code u} picks the one it falls in. Never an operation
     * of weight 0.
     */
    public Operation choose(double u) {
        double target = u * sum();
        double cumulative = 0;
        Operation last = null;
        for (Operation op : Operation.values()) {
            double w = weight(op);
            if (w <= 0) {
                continue;
            }
            cumulative += w;
            last = op;
            if (target < cumulative) {
                return op;
            }
        }
        return last; // u rounding up to the sum: the last operation with weight
    }

    /** The shares as percentages, operations of weight 0 left out, e.g. {@code read 50%, update 50%}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Operation, Double> e : shares().entrySet()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.getKey().label()).append(' ').append(percent(e.getValue() * 100)).append('%');
        }
        return b.toString();
    }

    /** The share of each operation of weight above 0. */
    public Map<Operation, Double> shares() {
        Map<Operation, Double> out = new LinkedHashMap<>();
        for (Operation op : operations()) {
            out.put(op, share(op));
        }
        return out;
    }

    private static String percent(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : String.format(Locale.ROOT, "%.2f", p);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
