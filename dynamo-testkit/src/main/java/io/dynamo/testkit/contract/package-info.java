/**
 * Contract suites that every implementation of a server SPI passes: {@link
 * io.dynamo.testkit.contract.TransportContract} runs against the simulated network here and
 * against the Netty transport in its own module. Main code so that other modules' tests can
 * extend it.
 */
package io.dynamo.testkit.contract;
