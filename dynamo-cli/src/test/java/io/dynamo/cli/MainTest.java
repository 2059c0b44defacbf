package io.dynamo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dynamo.sim.partitioning.PartitioningReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Exit code and captured streams of one in-process run. */
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void quickPartitioningPrintsTheTablesAndWritesTheChart(@TempDir Path dir) throws Exception {
        Path outDir = dir.resolve("figures");
        Result r = run("sim", "partitioning", "--quick", "--out-dir", outDir.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains(PartitioningReport.EFFICIENCY_HEADER)
                .contains("Command: ./dynamo sim partitioning --nodes 30 --replicas 3 --seed 2007 --keys 20000 --quick")
                .contains("Data moved by one membership change");
        Path png = outDir.resolve("partitioning.png");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(10_000);
        assertThat(Files.readString(outDir.resolve("partitioning.txt"))).contains(PartitioningReport.EFFICIENCY_HEADER);
    }

    @Test
    void sameOptionsWriteTheSameReport(@TempDir Path dir) throws Exception {
        run("sim", "partitioning", "--quick", "--keys", "2000", "--seed", "5", "--out-dir", dir.resolve("a").toString());
        run("sim", "partitioning", "--quick", "--keys", "2000", "--seed", "5", "--out-dir", dir.resolve("b").toString());
        assertThat(Files.readString(dir.resolve("a/partitioning.txt")))
                .isEqualTo(Files.readString(dir.resolve("b/partitioning.txt")))
                .contains("seed 5");
    }

    @Test
    void aSeededClusterRunPassesItsCheckersAndReplaysExactly() {
        Result first = run("sim", "run", "--seed", "42");
        Result again = run("sim", "run", "--seed", "42");
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).startsWith("seed 42: ok;").contains(" writes (").contains("trace ");
        assertThat(again.out()).isEqualTo(first.out());
    }

    @Test
    void aShortSoakReportsItsTotals() {
        Result r = run("sim", "soak", "--seeds", "5", "--base-seed", "9");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("soak: 5 seeds from base 9").contains("0 failing seeds");
    }

    @Test
    void aShortDivergenceRunPrintsTheShareOfSingleVersionReads() {
        Result r = run("sim", "divergence", "--seconds", "2", "--clients", "8", "--keys", "50");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Command: ./dynamo sim divergence --seed 1 --seconds 2 --clients 8 --keys 50")
                .contains("of them with exactly one version").contains("checkers: all passed");
    }

    @Test
    void admissionPrintsTheLoadSpikeTable() {
        Result r = run("sim", "admission", "--background", "transfer", "--keys", "500");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Command: ./dynamo sim admission --seed 65 --keys 500 --background transfer")
                .contains("transfer     on").contains("transfer     off");
    }

    @Test
    void admissionRejectsAnUnknownBackground() {
        Result r = run("sim", "admission", "--background", "compaction");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("unknown kind 'compaction'");
    }

    @Test
    void gossipPrintsTheConvergenceTable() {
        Result r = run("sim", "gossip", "--trials", "3");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("Command: ./dynamo sim gossip --trials 3 --seed 48")
                .contains("p99<=target").contains("  100       3 ");
    }

    @Test
    void soakRejectsAZeroSeedCount() {
        Result r = run("sim", "soak", "--seeds", "0");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("--seeds must be at least 1");
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        Result r = run("sim", "partitioning", "--bogus");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).doesNotContain("\n")
                .startsWith("dynamo: Unknown option: '--bogus'")
                .contains("dynamo sim partitioning --help");
    }

    @Test
    void badValueIsAUsageErrorNamingTheOption() {
        Result r = run("sim", "partitioning", "--nodes", "3", "--quick");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err().strip()).doesNotContain("\n")
                .isEqualTo("dynamo: --nodes must be between --replicas + 1 = 4 and 128, was 3 "
                        + "(see 'dynamo sim partitioning --help')");

        Result notANumber = run("sim", "partitioning", "--keys", "many");
        assertThat(notANumber.code()).isEqualTo(Main.USAGE);
        assertThat(notANumber.err()).contains("--keys").contains("many");
    }

    @Test
    void groupsWithoutACommandAreUsageErrors() {
        Result top = run();
        assertThat(top.code()).isEqualTo(Main.USAGE);
        assertThat(top.err().strip()).isEqualTo("dynamo: missing command: choose one of server, dev, get, put, delete, admin, sim, bench, test, build (see 'dynamo --help')");

        assertThat(run("dev").err()).contains("choose one of up, start, kill");

        Result sim = run("sim");
        assertThat(sim.code()).isEqualTo(Main.USAGE);
        assertThat(sim.err()).contains("choose one of partitioning");

        assertThat(run("nosuch").code()).isEqualTo(Main.USAGE);
    }

    @Test
    void failureIsExitOneWithOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        Result r = run("sim", "partitioning", "--quick", "--keys", "1000", "--out-dir", file.toString());
        assertThat(r.code()).isEqualTo(Main.FAILURE);
        assertThat(r.err().strip()).startsWith("dynamo: ").doesNotContain("\n").contains("not-a-directory");
    }

    @Test
    void versionAndHelp() {
        Result version = run("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("dynamo 0.").contains("Java ");

        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: dynamo").contains("sim")
                .containsPattern("\n  test +The whole test suite").containsPattern("\n  build +Builds every module")
                .contains("test, build and bench jmh are run by the launcher ./dynamo itself");

        Result partitioningHelp = run("sim", "partitioning", "--help");
        assertThat(partitioningHelp.code()).isZero();
        assertThat(partitioningHelp.out()).contains("--nodes=S").contains("--out-dir=DIR").contains("--quick")
                .contains("default: 30");
    }

    @Test
    void launcherCommandsReachingTheProgramSayWhereTheyLive() {
        Result test = run("test");
        assertThat(test.code()).isEqualTo(Main.USAGE);
        assertThat(test.err().strip()).isEqualTo("dynamo: 'test' is run by the launcher, not by this program: use "
                + "./dynamo test (./dynamo test --help says what it runs)");
        Result help = run("build", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("mvn -DskipTests package").contains("./dynamo build --help");
    }

    /** {@code ./dynamo test --help} and {@code build --help}: the launcher's own help, not Maven's, without a build. */
    @Test
    void theLauncherPrintsItsOwnHelpForTestAndBuild() throws Exception {
        Path launcher = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve("dynamo");
        assertThat(launcher).exists();
        for (String command : List.of("test", "build")) {
            for (String flag : List.of("--help", "-h")) {
                Process p = new ProcessBuilder("bash", launcher.toString(), command, flag).redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(p.waitFor()).as(out).isZero();
                assertThat(out).startsWith("usage: ./dynamo " + command + " [MAVEN ARGUMENTS...]")
                        .contains("DYNAMO_MAVEN_OPTS").doesNotContain("usage: mvn").doesNotContain("building");
            }
        }
        Process p = new ProcessBuilder("bash", launcher.toString(), "test", "--help").start();
        String test = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(test).contains("'mvn clean verify'").contains("  Tests: 700 passed, 0 failed, 0 skipped")
                .contains("./dynamo test -pl dynamo-core -am");
    }

    /** Every help text is a format string to picocli: a lone '%' breaks it (and prints a warning). */
    @Test
    void everyCommandsHelpIsAValidFormatString() {
        List<String> broken = new ArrayList<>();
        List<CommandLine> pending = new ArrayList<>(List.of(Main.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))));
        int commands = 0;
        while (!pending.isEmpty()) {
            CommandLine command = pending.remove(pending.size() - 1);
            commands++;
            String name = command.getCommandSpec().qualifiedName();
            List<String> lines = new ArrayList<>(List.of(command.getCommandSpec().usageMessage().description()));
            lines.addAll(List.of(command.getCommandSpec().usageMessage().footer()));
            for (ArgSpec arg : command.getCommandSpec().args()) {
                lines.addAll(List.of(arg.description()));
            }
            for (String line : lines) {
                try {
                    String.format(line.replace("${DEFAULT-VALUE}", "").replace("${COMPLETION-CANDIDATES}", ""));
                } catch (java.util.IllegalFormatException e) {
                    broken.add(name + ": " + e.getMessage() + " in: " + line);
                }
            }
            pending.addAll(command.getSubcommands().values());
        }
        assertThat(commands).isGreaterThan(20);
        assertThat(broken).isEmpty();
    }
}
