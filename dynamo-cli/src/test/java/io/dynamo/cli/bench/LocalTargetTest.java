package io.dynamo.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalTargetTest {

    @Test
    void extraServerJvmOptionsFollowTheDefaultsSplitOnSpaces() {
        assertThat(LocalTarget.serverJvmOptions("")).isEqualTo(LocalTarget.SERVER_JVM_OPTIONS);
        assertThat(LocalTarget.serverJvmOptions("  ")).isEqualTo(LocalTarget.SERVER_JVM_OPTIONS);
        assertThat(LocalTarget.serverJvmOptions(" -XX:StartFlightRecording=filename=/tmp/{node}.jfr  -Xlog:gc "))
                .startsWith(LocalTarget.SERVER_JVM_OPTIONS.toArray(String[]::new))
                .endsWith("-XX:StartFlightRecording=filename=/tmp/{node}.jfr", "-Xlog:gc")
                .hasSize(LocalTarget.SERVER_JVM_OPTIONS.size() + 2);
    }
}
