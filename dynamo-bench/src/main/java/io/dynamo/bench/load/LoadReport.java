package io.dynamo.bench.load;

/**
 * The load phase: how many records it wrote, how many already held a value (a blind put made them
 * two siblings, so a second put with the answer's context replaced both), and how long it took.
 *
 * @param records records to write
 * @param alreadyPresent records that held a value before the load (written twice)
 * @param seconds the phase's length
 * @param writes the load's puts as one operation (count, errors, latency of one record's write)
 */
public record LoadReport(long records, long alreadyPresent, double seconds, OperationReport writes) {
}
