package io.dynamo.net.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dynamo.server.transfer.Transfers;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NodeStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode transfers(OptionalInt active, String phase) {
        return NodeStatus.transfers(JSON.createObjectNode(),
                new Transfers.Progress(3, active, phase, 2, 40, 4096, 1024.4, 1, 7));
    }

    @Test
    void aTransferUnderWayNamesItsPartitionAndPhase() {
        ObjectNode t = transfers(OptionalInt.of(0), "streaming");
        assertThat(t.path("active_partition").isInt()).isTrue();
        assertThat(t.path("active_partition").asInt()).as("partition 0 is a partition").isZero();
        assertThat(t.path("phase").asText()).isEqualTo("streaming");
        assertThat(t.path("pending").asInt()).isEqualTo(3);
        assertThat(t.path("bytes_per_second").asLong()).isEqualTo(1024);
        assertThat(t.path("keys_handed_off").asLong()).isEqualTo(7);
    }

    @Test
    void noPartitionUnderWayIsNullNotMinusOne() {
        ObjectNode t = transfers(OptionalInt.empty(), "");
        assertThat(t.has("active_partition")).isTrue();
        assertThat(t.path("active_partition").isNull()).as(t.toString()).isTrue();
        assertThat(t.path("phase").isNull()).as("no empty phase either: " + t).isTrue();
        assertThat(t.path("done").asLong()).isEqualTo(2);
    }
}
