package io.dynamo.sim.partitioning;

/** Mean, minimum and maximum of a measurement over the experiment's runs. */
public record Stats(double mean, double min, double max) {

    static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new Stats(sum / values.length, min, max);
    }
}
