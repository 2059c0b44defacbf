package io.dynamo.cli.server;

import static io.dynamo.cli.server.CliRun.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's commands of issue 19 on a real three-process cluster: a repair round followed to
 * its end, a staged leave shown by {@code admin plan} and made by {@code admin commit}, and the
 * cluster events in the nodes' logs.
 */
class OperatorCommandsEndToEndTest {

    private static final String FAST = """
            gossip_interval_ms: 200
            replica_timeout_ms: 500
            shutdown_grace_ms: 2000
            """;

    private LocalCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }



    @Test
    void repairPlanCommitAndTheEventsInTheLog(@TempDir Path dir) throws Exception {
        cluster = new LocalCluster(dir, "ops", 16, ClusterEndToEndTest.freeBasePort(5), 4).withExtraConfig(FAST);
        cluster.start();
        cluster.awaitReady(Duration.ofSeconds(90));
        String n1 = "127.0.0.1:" + cluster.node(1).httpPort();

        CliRun repair = cli("admin", "repair", "--node", n1);
        assertThat(repair.code()).as(repair.out() + repair.err()).isZero();
        assertThat(repair.out()).contains("repair 1 started on " + n1).contains("repair 1 finished");
        CliRun busyBucket = cli("admin", "repair", "--partition", "999", "--node", n1);
        assertThat(busyBucket.code()).as("a partition that does not exist is refused").isEqualTo(Main.USAGE);
        assertThat(busyBucket.err()).contains("partition 999 does not exist");

        CliRun nothing = cli("admin", "plan", "--node", n1);
        assertThat(nothing.code()).isZero();
        assertThat(nothing.out()).contains("nothing is staged");
        CliRun staged = cli("admin", "plan", "--leave", "n4", "--node", n1);
        assertThat(staged.code()).as(staged.err()).isZero();
        assertThat(staged.out()).contains("leave n4").containsPattern("n4\\s+\\d+\\s+0\\n")
                .contains("make it so: dynamo admin commit");
        CliRun refused = cli("admin", "plan", "--leave", "n9", "--node", n1);
        assertThat(refused.code()).isEqualTo(Main.USAGE);
        assertThat(refused.err()).contains("n9 is not a member");
        assertThat(cli("admin", "plan", "--node", n1).out()).as("the refused change was not staged")
                .contains("leave n4").doesNotContain("n9");
        CliRun noTerminal = cli("admin", "commit", "--node", n1);
        assertThat(noTerminal.code()).isEqualTo(Main.USAGE);
        assertThat(noTerminal.err()).contains("--yes");

        CliRun commit = cli("admin", "commit", "--yes", "--node", n1);
        assertThat(commit.code()).as(commit.err()).isZero();
        assertThat(commit.out()).contains("committed: leave n4");
        CliRun.await("n4 has left", Duration.ofSeconds(60),
                () -> cluster.node(1).getJson("/admin/members").toString().contains("\"left\""));
        assertThat(cli("admin", "plan", "--node", n1).out()).contains("nothing is staged");

        // The cluster events are in the logs, one line each, without colour codes.
        String log = Files.readString(cluster.node(1).log());
        assertThat(log).contains("events - membership n4 is leaving")
                .contains("events - ring ring change planned")
                .contains("events - ring ring epoch");
        assertThat(log).doesNotContain("\u001b[");
    }
}
