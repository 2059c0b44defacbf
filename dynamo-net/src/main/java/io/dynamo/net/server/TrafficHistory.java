package io.dynamo.net.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The last minutes of this node's client traffic, one sample a second, for the dashboard's
 * charts: per operation the request rate and the p50, p99 and p99.9 latency of the second, and
 * the requests refused as overloaded, the errors, and the gets that returned siblings.
 *
 * <p>Recording is wait-free from any thread (an HdrHistogram {@link Recorder} per operation, and
 * adders); {@link #sample} and {@link #since} run on one thread, the node's, once a second and on
 * request. Unlike the Prometheus quantiles (a decaying window over two minutes), each sample
 * covers exactly its own second, so a spike shows as a spike.
 */
public final class TrafficHistory {

    /** The operations charted, in display order. */
    public static final List<String> OPERATIONS = List.of("get", "put", "delete");

    /** How many samples are kept: five minutes at one a second. */
    public static final int CAPACITY = 300;

    /** One operation's second: requests per second and latency quantiles in ms (NaN when there was none). */
    public record OpSample(double rate, double p50Millis, double p99Millis, double p999Millis) {
    }

    /**
     * One second of traffic.
     *
     * @param epochMillis when the second ended, rounded down to a whole second
     * @param ops per operation, in {@link #OPERATIONS} order
     * @param overloaded client requests refused as overloaded
     * @param admissionRefused background work admission control turned away
     * @param errors client requests that failed for any other reason than not found
     * @param getsWithSiblings gets that returned more than one value
     * @param maxSiblings the most values one get returned (0 when no get returned any)
     */
    public record Sample(long epochMillis, Map<String, OpSample> ops, long overloaded, long admissionRefused,
            long errors, long getsWithSiblings, long maxSiblings) {
    }

    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final Map<String, Recorder> latency = new LinkedHashMap<>();
    private final LongAdder overloaded = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder getsWithSiblings = new LongAdder();
    private final AtomicLong maxSiblings = new AtomicLong();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Map<String, Histogram> recycled = new LinkedHashMap<>();
    private long lastSampleNanos = -1;
    private long lastAdmissionRefused = -1;

    public TrafficHistory() {
        for (String op : OPERATIONS) {
            latency.put(op, new Recorder(3));
        }
    }

    /** Records one client request. Any thread. */
    public void request(String operation, String outcome, long nanos) {
        switch (outcome) {
            case "ok", "not_found" -> {
                Recorder r = latency.get(operation);
                if (r != null) {
                    r.recordValue(Math.max(1, Math.min(nanos, HIGHEST_NANOS)));
                }
            }
            case "overloaded" -> overloaded.increment();
            default -> errors.increment();
        }
    }

    /** Records how many values a get returned. Any thread. */
    public void siblings(int values) {
        if (values > 1) {
            getsWithSiblings.increment();
        }
        maxSiblings.accumulateAndGet(values, Math::max);
    }

    /**
     * Closes the second that ends now and keeps it. Call once a second from one thread.
     *
     * @param epochMillis the wall clock now
     * @param monotonicNanos a monotonic clock now, for the length of the interval
     * @param admissionRefusedTotal admission control's refusals so far (a counter)
     */
    public void sample(long epochMillis, long monotonicNanos, long admissionRefusedTotal) {
        double seconds = lastSampleNanos < 0 ? 1.0 : Math.max(1e-3, (monotonicNanos - lastSampleNanos) / 1e9);
        lastSampleNanos = monotonicNanos;
        Map<String, OpSample> ops = new LinkedHashMap<>();
        for (Map.Entry<String, Recorder> e : latency.entrySet()) {
            Histogram h = e.getValue().getIntervalHistogram(recycled.get(e.getKey()));
            recycled.put(e.getKey(), h);
            long count = h.getTotalCount();
            ops.put(e.getKey(), count == 0 ? new OpSample(0, Double.NaN, Double.NaN, Double.NaN)
                    : new OpSample(count / seconds, millis(h, 50), millis(h, 99), millis(h, 99.9)));
        }
        long refused = lastAdmissionRefused < 0 ? 0 : Math.max(0, admissionRefusedTotal - lastAdmissionRefused);
        lastAdmissionRefused = admissionRefusedTotal;
        Sample s = new Sample(epochMillis - Math.floorMod(epochMillis, 1000), ops, overloaded.sumThenReset(), refused,
                errors.sumThenReset(), getsWithSiblings.sumThenReset(), maxSiblings.getAndSet(0));
        while (!samples.isEmpty() && samples.peekLast().epochMillis() >= s.epochMillis()) {
            // Two samples in one wall-clock second (a late tick), or the clock stepped back: the
            // charts expect one sample a second, in order, so the newest replaces what it overlaps.
            samples.pollLast();
        }
        samples.addLast(s);
        while (samples.size() > CAPACITY) {
            samples.pollFirst();
        }
    }

    private static double millis(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    /** The samples that ended after {@code epochMillis}, oldest first. Same thread as {@link #sample}. */
    public List<Sample> since(long epochMillis) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (s.epochMillis() > epochMillis) {
                out.add(s);
            }
        }
        return out;
    }
}
