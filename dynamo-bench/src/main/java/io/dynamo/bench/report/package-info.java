/**
 * What the benchmark engines' results share: {@link io.dynamo.bench.report.Verdict} (a figure
 * against its target, as one report line), and the number formats and JSON helpers of their text
 * and JSON forms.
 */
package io.dynamo.bench.report;
