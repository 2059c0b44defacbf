package io.dynamo.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamo.client.Context;
import io.dynamo.client.DynamoClient;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver, through Selenium)
 * against a real local cluster: three {@code dynamo server} processes with RocksDB on disk, a
 * fourth joined from the page. Checks the ring's colours and shares and a key's preference list,
 * the traffic charts, a bucket change through the confirmation dialog, a join whose transfers
 * show progress and complete (never naming partition -1), a leave from the page after which the
 * node is shown left (not unreachable, and watched by no one), and a killed node turning
 * unreachable within the failure-detection time. A screenshot of every view is saved under
 * {@code target/dashboard-screenshots/}.
 *
 * <p>The tests share one cluster and run in order: the last one joins a node, makes it leave, and
 * kills another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final int PARTITIONS = 32;
    /** How often the page polls /admin/cluster. */
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final String FAST = """
            gossip_interval_ms: 200
            replica_timeout_ms: 500
            shutdown_grace_ms: 2000
            """;
    private static final Duration REPLICA_TIMEOUT = Duration.ofMillis(500);
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    private Path dir;
    private LocalCluster cluster;
    private ChromeDriver browser;
    private int shot;

    @BeforeAll
    void start() throws IOException {
        String chromium = find("dynamo.test.chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome");
        String driver = find("dynamo.test.chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        dir = Files.createTempDirectory("dashboard-test");
        Files.createDirectories(SCREENSHOTS);
        cluster = new LocalCluster(dir.resolve("cluster"), "dash", PARTITIONS, ClusterEndToEndTest.freeBasePort(4), 3)
                .withExtraConfig(FAST);
        cluster.start();
        cluster.awaitReady(Duration.ofSeconds(90));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1366,900", "--user-data-dir=" + dir.resolve("chromium-profile"),
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--disable-extensions", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        System.out.println("dashboard test: cluster under " + dir + ", screenshots in " + SCREENSHOTS.toAbsolutePath());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.out.println("dashboard test: could not remove " + dir + ": " + e);
            }
        }
    }

    /** The browser binary: a system property, else the first of the usual places that exists. */
    private static String find(String property, String... candidates) {
        String given = System.getProperty(property);
        if (given != null) {
            return given;
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new IllegalStateException("the dashboard's browser tests need headless Chromium and chromedriver, and "
                + "found none of " + List.of(candidates) + " (-D" + property + "=PATH names another). Install them: "
                + "apt-get install chromium chromium-driver (build-support/ensure-browser.sh does it, and "
                + "'./dynamo test' runs that script)");
    }

    // ------------------------------------------------------------------ the views

    @Test
    @Order(1)
    void theRingShowsEachNodesColourAndShareAndAKeysPreferenceList() throws Exception {
        open(1, "#/ring");
        JsonNode ring = cluster.node(1).getJson("/admin/ring");
        await("the legend lists 3 nodes", Duration.ofSeconds(15), () -> all("[data-testid=ring-share]").size() == 3);

        Map<String, Integer> expected = new TreeMap<>();
        ring.path("partitions_owned").fields().forEachRemaining(f -> expected.put(f.getKey(), f.getValue().asInt()));
        Map<String, Integer> shown = new TreeMap<>();
        for (List<String> share : rows("[data-testid=ring-share]", "data-node", "data-partitions", "#text")) {
            String node = share.get(0);
            int count = Integer.parseInt(share.get(1));
            shown.put(node, count);
            assertThat(share.get(2)).contains(node).contains(Integer.toString(count))
                    .contains(String.format(Locale.ROOT, "%.1f%%", 100.0 * count / PARTITIONS));
        }
        assertThat(shown).isEqualTo(expected);

        List<List<String>> arcs = rows("svg[data-testid=ring] path[data-partition]", "data-partition", "data-owner",
                "#fill");
        assertThat(arcs).hasSize(PARTITIONS);
        Map<String, Set<String>> colours = new TreeMap<>();
        for (List<String> arc : arcs) {
            int p = Integer.parseInt(arc.get(0));
            String owner = arc.get(1);
            assertThat(owner).as("partition %d's owner", p)
                    .isEqualTo(ring.path("owners").get(p).path("nodes").get(0).asText());
            colours.computeIfAbsent(owner, k -> new HashSet<>()).add(arc.get(2));
        }
        assertThat(colours.keySet()).containsExactly("n1", "n2", "n3");
        colours.forEach((node, fills) -> assertThat(fills).as("%s's arcs share one colour", node).hasSize(1));
        Set<String> distinct = new HashSet<>();
        colours.values().forEach(distinct::addAll);
        assertThat(distinct).as("three nodes, three colours").hasSize(3);

        // A key's preference list, as the node computes it.
        type("[data-testid=preflist-bucket]", "carts");
        type("[data-testid=preflist-key]", "alice");
        JsonNode preflist = cluster.node(1).getJson("/admin/preflist?bucket=carts&key=alice");
        List<String> primaries = new ArrayList<>();
        preflist.path("primaries").forEach(n -> primaries.add(n.asText()));
        await("the preference list of carts/alice", Duration.ofSeconds(10), () -> primaries.equals(attributes(
                "[data-testid=preflist] [data-testid=preflist-node]", "data-node")));
        assertThat(attributes("[data-testid=preflist] [data-testid=preflist-node]", "data-role")).containsOnly("primary");
        assertThat(text("[data-testid=preflist]")).contains(preflist.path("partition").asText());
        screenshot("ring");
    }

    @Test
    @Order(2)
    void membersAndTrafficShowWhatTheClusterIsDoing() throws Exception {
        load(400, "warmup");
        open(1, "#/members");
        await("3 members up", Duration.ofSeconds(15), () -> attributes("tr[data-testid=member]", "data-state")
                .equals(List.of("up", "up", "up")));
        for (List<String> row : rows("tr[data-testid=member]", "data-node", "#text")) {
            assertThat(row.get(1)).contains(row.get(0)).contains("127.0.0.1:");
        }
        screenshot("members");

        open(1, "#/traffic");
        await("the get and put charts have data", Duration.ofSeconds(20), () -> {
            Object points = js("""
                    const rate = document.querySelector('svg[data-testid=chart][data-chart=put-rate]');
                    const lat = document.querySelector('svg[data-testid=chart][data-chart=get-latency]');
                    if (!rate || !lat) return 0;
                    return Math.min(rate.querySelectorAll('path.line, circle.point').length,
                                    lat.querySelectorAll('path.line, circle.point').length);""");
            return ((Number) points).intValue() > 0;
        });
        assertThat(all("svg[data-testid=chart]").size()).isGreaterThanOrEqualTo(6);
        screenshot("traffic");
    }

    @Test
    @Order(3)
    void aBucketChangeTakesAConfirmationAndBadValuesAreRefused() throws Exception {
        open(1, "#/operations");
        await("the operations view", Duration.ofSeconds(10), () -> !all("[data-testid=bucket-save]").isEmpty());
        String before = cluster.node(2).getJson("/admin/buckets/dash").path("props").path("r").asText();

        // A leave asks first; cancelling (Escape) sends nothing.
        new org.openqa.selenium.support.ui.Select(one("[data-testid=leave-node]")).selectByValue("n2");
        click("[data-testid=leave]");
        await("the confirmation dialog", Duration.ofSeconds(5), () -> one("[data-testid=confirm]").isDisplayed());
        assertThat(text("[data-testid=confirm]")).contains("n2");
        one("[data-testid=confirm-yes]").sendKeys(org.openqa.selenium.Keys.ESCAPE);
        await("the dialog closes", Duration.ofSeconds(5), () -> all("[data-testid=confirm]").stream()
                .noneMatch(WebElement::isDisplayed));
        // Nothing to wait for when nothing happens: give a request the page might (wrongly) have
        // sent a poll's time to arrive, then check that no member was marked leaving.
        Thread.sleep(POLL.toMillis());
        for (JsonNode m : cluster.node(1).getJson("/admin/members").path("members")) {
            assertThat(m.path("status").asText()).as(m.path("id").asText()).isEqualTo("up");
        }

        // r above n: the page refuses it without asking the node.
        type("[data-testid=bucket-name]", "dash");
        type("[data-testid=bucket-r]", "5");
        click("[data-testid=bucket-save]");
        confirmIfAsked();
        await("the page's refusal is shown", Duration.ofSeconds(10), () -> text("[data-testid=action-result]").contains("r (5)"));

        // dw above w: only the node knows that rule; its 400 is shown, and nothing changes.
        type("[data-testid=bucket-name]", "dash");
        type("[data-testid=bucket-r]", "");
        type("[data-testid=bucket-dw]", "3");
        click("[data-testid=bucket-save]");
        await("the confirmation dialog", Duration.ofSeconds(5), () -> one("[data-testid=confirm]").isDisplayed());
        click("[data-testid=confirm-yes]");
        await("the node's refusal is shown", Duration.ofSeconds(10), () -> text("[data-testid=action-result]").contains("dw"));
        assertThat(attribute("[data-testid=action-result]", "data-ok")).isEqualTo("false");
        assertThat(cluster.node(2).getJson("/admin/buckets/dash").path("props").path("r").asText()).isEqualTo(before);
        assertThat(cluster.node(2).getJson("/admin/buckets/dash").path("source").asText()).isEqualTo("defaults");
        type("[data-testid=bucket-dw]", "");

        // A good change, confirmed: every node applies it.
        type("[data-testid=bucket-name]", "dash");
        type("[data-testid=bucket-r]", "1");
        click("[data-testid=bucket-save]");
        await("the confirmation dialog", Duration.ofSeconds(5), () -> one("[data-testid=confirm]").isDisplayed());
        assertThat(text("[data-testid=confirm]")).contains("dash");
        screenshot("operations-confirm");
        click("[data-testid=confirm-yes]");
        for (LocalCluster.Node n : cluster.nodes()) {
            await(n.id() + " applies r=1 to dash", Duration.ofSeconds(20),
                    () -> json(n, "/admin/buckets/dash").path("props").path("r").asText().equals("1"));
        }
        screenshot("operations");
    }

    @Test
    @Order(4)
    void aJoinFromThePageShowsTransfersUntilTheyCompleteAndAKilledNodeTurnsUnreachable() throws Exception {
        load(3000, "before-join");
        LocalCluster.Node n4 = cluster.addNode();
        n4.start();
        await("n4 waits to be joined", Duration.ofSeconds(60),
                () -> json(n4, "/admin/status").path("state").asText().equals("waiting_to_join"));

        open(1, "#/operations");
        await("the join form", Duration.ofSeconds(10), () -> !all("[data-testid=join]").isEmpty());
        type("[data-testid=join-address]", "127.0.0.1:" + n4.httpPort());
        click("[data-testid=join]");
        await("the confirmation dialog", Duration.ofSeconds(5), () -> one("[data-testid=confirm]").isDisplayed());
        click("[data-testid=confirm-yes]");
        await("the node's answer", Duration.ofSeconds(10), () -> text("[data-testid=action-result]")
                .contains("127.0.0.1:" + n4.httpPort()));

        // The repair view: transfers to n4 appear, make progress, and complete.
        open(1, "#/repair");
        boolean sawPartial = false;
        boolean screenshotTaken = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (true) {
            List<?> rows = transferRows();
            for (Object o : rows) {
                List<?> row = (List<?>) o;
                assertPartitionShown(row);
                double value = ((Number) row.get(2)).doubleValue();
                double max = ((Number) row.get(3)).doubleValue();
                if ("n4".equals(row.get(0)) && max > 0 && value < max) {
                    sawPartial = true;
                    if (!screenshotTaken && value > 0) {
                        screenshot("repair-transfer-in-progress");
                        screenshotTaken = true;
                    }
                }
            }
            boolean settled = cluster.node(1).getJson("/admin/status").path("ring_settled").asBoolean();
            boolean allDone = !rows.isEmpty() && rows.stream().allMatch(o -> "done".equals(((List<?>) o).get(1)));
            if (settled && allDone && "0".equals(attribute("[data-testid=transfers]", "data-pending"))) {
                break;
            }
            assertThat(System.nanoTime() - deadline).as("transfers completed in time; rows " + rows).isNegative();
            Thread.sleep(100);
        }
        assertThat(sawPartial).as("a progress bar was seen part-way").isTrue();
        if (!screenshotTaken) {
            screenshot("repair-transfer-in-progress");
        }
        screenshot("repair-transfers-done");
        assertThat(cluster.node(1).getJson("/admin/ring").path("partitions_owned").path("n4").asInt()).isPositive();

        open(1, "#/ring");
        await("the ring shows 4 nodes", Duration.ofSeconds(30), () -> all("[data-testid=ring-share]").size() == 4);
        screenshot("ring-after-join");

        // n4 leaves from the page: its partitions move back (the transfers table names a
        // partition or a dash, never -1), then it is shown gone: a grey "left" badge, no column
        // in the failure-detector matrix, and the header does not count it unreachable.
        open(1, "#/operations");
        await("the leave form offers n4", Duration.ofSeconds(10), () -> attributes("[data-testid=leave-node] option", "value")
                .contains("n4"));
        new org.openqa.selenium.support.ui.Select(one("[data-testid=leave-node]")).selectByValue("n4");
        click("[data-testid=leave]");
        await("the confirmation dialog", Duration.ofSeconds(5), () -> one("[data-testid=confirm]").isDisplayed());
        assertThat(text("[data-testid=confirm]")).contains("n4");
        click("[data-testid=confirm-yes]");
        await("the node's answer", Duration.ofSeconds(10), () -> text("[data-testid=action-result]").contains("n4"));
        open(1, "#/repair");
        org.awaitility.Awaitility.await("n4 left").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (Object o : transferRows()) {
                        assertPartitionShown((List<?>) o);
                    }
                    return "left".equals(statusOf("n4"))
                            && cluster.node(1).getJson("/admin/status").path("ring_settled").asBoolean();
                });
        screenshot("repair-after-leave");
        open(1, "#/members");
        await("n4 shown left, and the others up", Duration.ofSeconds(30), () -> {
            Map<String, String> states = new TreeMap<>();
            rows("tr[data-testid=member]", "data-node", "data-state").forEach(r -> states.put(r.get(0), r.get(1)));
            // Every member's detector sees every other as ok (the matrix shows the nodes' states).
            return states.equals(Map.of("n1", "up", "n2", "up", "n3", "up", "n4", "left"))
                    && Set.of("ok", "self").containsAll(attributes("[data-testid=fd-cell]", "data-state"));
        });
        assertThat(text("tr[data-testid=member][data-node=n4]")).contains("left");
        assertThat(attributes("[data-testid=fd-cell]", "data-to")).as("no one watches n4").doesNotContain("n4")
                .hasSize(9);
        assertThat(text("[data-testid=health]")).contains("3 up").contains("1 left").doesNotContain("unreachable");
        screenshot("members-after-leave");

        // SIGKILL n3: its row turns unreachable within the failure-detection time (the page's
        // poll, plus the status request's timeout, plus one more poll for the render).
        await("3 members up", Duration.ofSeconds(30), () -> attributes("tr[data-testid=member]", "data-state")
                .stream().filter("up"::equals).count() == 3);
        long killed = System.nanoTime();
        cluster.node(3).kill();
        // Two polls plus the status timeout, and 4 s for four JVMs and a browser on two cores.
        Duration limit = POLL.multipliedBy(2).plus(REPLICA_TIMEOUT).plus(Duration.ofSeconds(4));
        await("n3 shown unreachable", limit.plusSeconds(10), () -> "unreachable".equals(
                attribute("tr[data-testid=member][data-node=n3]", "data-state")));
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("dashboard test: n3 was shown unreachable " + took.toMillis() + " ms after SIGKILL");
        assertThat(took).as("within the failure-detection time").isLessThanOrEqualTo(limit);
        await("the header counts n3 unreachable and n4 only as left", Duration.ofSeconds(10),
                () -> text("[data-testid=health]").contains("1 unreachable") && text("[data-testid=health]").contains("1 left"));
        screenshot("members-unreachable");
        open(1, "#/repair");
        await("the repair view renders", Duration.ofSeconds(10), () -> !all("[data-testid=hints]").isEmpty());
        screenshot("repair-with-a-node-down");
    }

    // ------------------------------------------------------------------ helpers

    /** The transfers table, read at one instant: node, state, progress value and max, partition text. */
    private List<?> transferRows() {
        return (List<?>) js("""
                return [...document.querySelectorAll('[data-testid=transfer]')].map(r => {
                  const p = r.querySelector('progress');
                  const part = r.querySelector('[data-testid=transfer-partition]');
                  return [r.getAttribute('data-node'), r.getAttribute('data-state'),
                          p ? p.value : -1, p ? p.max : -1, part ? part.textContent : null];
                });""");
    }

    /** A transfer row's partition column names a partition or shows a dash: never -1, never empty. */
    private static void assertPartitionShown(List<?> row) {
        assertThat(String.valueOf(row.get(4))).as("the partition column of " + row).matches("[0-9]+|–");
    }

    /** {@code id}'s status in node 1's cluster answer ("" if it is not listed). */
    private String statusOf(String id) throws IOException, InterruptedException {
        for (JsonNode m : cluster.node(1).getJson("/admin/cluster?since=" + Long.MAX_VALUE).path("members")) {
            if (m.path("id").asText().equals(id)) {
                return m.path("status").asText();
            }
        }
        return "";
    }

    private void open(int node, String route) {
        browser.get(cluster.node(node).url("/ui/" + route));
        await("the page answers", Duration.ofSeconds(15), () -> "true".equals(
                attribute("[data-testid=updated]", "data-ok")));
    }

    private List<WebElement> all(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    private WebElement one(String css) {
        List<WebElement> found = all(css);
        if (found.isEmpty()) {
            throw new AssertionError("no element " + css + " on " + browser.getCurrentUrl());
        }
        return found.get(0);
    }

    // The page redraws what it polls every 2 s, so an element found by one WebDriver call may be
    // gone by the next: what is read from polled content is read in one script, at one instant.

    /** Each match's {@code columns}: attribute names, {@code #text} (its text) or {@code #fill} (its computed fill). */
    @SuppressWarnings("unchecked")
    private List<List<String>> rows(String css, String... columns) {
        return (List<List<String>>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => arguments[1].map(c =>"
                        + " c === '#text' ? e.innerText : c === '#fill' ? getComputedStyle(e).fill"
                        + " : e.getAttribute(c)));", css, List.of(columns));
    }

    private List<String> attributes(String css, String attribute) {
        return rows(css, attribute).stream().map(r -> r.get(0)).toList();
    }

    /** The first match's attribute (null when there is no match or no such attribute). */
    private String attribute(String css, String name) {
        List<String> values = attributes(css, name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first match's text ("" when there is none). */
    private String text(String css) {
        List<List<String>> found = rows(css, "#text");
        return found.isEmpty() || found.get(0).get(0) == null ? "" : found.get(0).get(0);
    }

    private void type(String css, String text) {
        WebElement e = one(css);
        e.clear();
        e.sendKeys(text);
    }

    private void click(String css) {
        one(css).click();
    }

    /** Confirms the dialog if the page asked (a page that refuses bad values itself does not ask). */
    private void confirmIfAsked() {
        List<WebElement> dialog = all("[data-testid=confirm]");
        if (!dialog.isEmpty() && dialog.get(0).isDisplayed()) {
            click("[data-testid=confirm-yes]");
        }
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static JsonNode json(LocalCluster.Node node, String path) {
        return ClusterEndToEndTest.json(node, path);
    }

    /** Polls {@code condition} until it holds; fails with a screenshot after {@code limit}. */
    private void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (RuntimeException | AssertionError e) {
                last = e instanceof RuntimeException r ? r : new RuntimeException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        String shotName = screenshot("failed-" + what.replaceAll("[^a-zA-Z0-9]+", "-"));
        throw new AssertionError("not within " + limit.toMillis() + " ms: " + what + " (screenshot " + shotName + ")",
                last);
    }

    /** Saves the page as target/dashboard-screenshots/NN-name.png; returns the file name. */
    private String screenshot(String name) {
        String file = String.format(Locale.ROOT, "%02d-%s.png", ++shot, name);
        try {
            Path tmp = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(tmp, SCREENSHOTS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            return file + " (not saved: " + e + ")";
        }
        return file;
    }

    /** Puts {@code keys} keys (and reads each back) through the Java client, for traffic and data to move. */
    private void load(int keys, String prefix) {
        List<InetSocketAddress> seeds = cluster.nodes().stream().filter(LocalCluster.Node::running)
                .map(n -> new InetSocketAddress("127.0.0.1", n.clientPort())).toList();
        try (DynamoClient client = DynamoClient.builder().seeds(seeds).build()) {
            for (int i = 0; i < keys; i++) {
                client.put("dash", prefix + "-" + i, "value " + i + " " + "x".repeat(200), Context.EMPTY);
                client.get("dash", prefix + "-" + i);
            }
        }
    }
}
