package io.dynamo.net.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

    private final PrintStream realOut = System.out;

    @AfterEach
    void restore() throws Exception {
        System.setOut(realOut);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig(); // the tests' own configuration again
    }

    @Test
    void jsonWritesOneObjectPerLineWithTheFormattedMessage() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogFormat.apply("JSON");
        LoggerFactory.getLogger("io.dynamo.events").info("{} {}", "peer_down", "n5 is unreachable from n1");

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode line = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("io.dynamo.events");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("peer_down n5 is unreachable from n1");
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b[");
    }

    @Test
    void textIsTheDefaultAndAnythingElseIsRefusedByName() {
        LogFormat.apply(null);
        LogFormat.apply(" text ");
        assertThatThrownBy(() -> LogFormat.apply("yaml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DYNAMO_LOG_FORMAT must be text or json, was 'yaml'");
    }
}
