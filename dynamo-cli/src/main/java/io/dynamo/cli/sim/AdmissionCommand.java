package io.dynamo.cli.sim;

import io.dynamo.sim.admission.LoadSpike;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dynamo sim admission}: a foreground spike during background work, with and without admission control. */
@Command(name = "admission",
        mixinStandardHelpOptions = true,
        description = "Run the admission-control load spike in simulation: five nodes with a capacity serve an "
                + "open-loop load while background work (hinted handoff, anti-entropy after a lost disk, a join's "
                + "transfer) runs and a foreground spike arrives, with admission control and without it; print "
                + "the foreground p99 per phase, the background work a second and when it finished.")
public final class AdmissionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "65", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--background", split = ",", defaultValue = "hints,anti_entropy,transfer,none",
            description = "Which background work to run, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> backgrounds;

    @Option(names = "--keys", defaultValue = "60000", description = "Keys written before the run (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--load", description = "Also print, under each row, where the node under repair spent its "
            + "time in the spike (share of the phase per kind of message).")
    boolean load;

    @Override
    public Integer call() {
        List<LoadSpike.Background> kinds = new ArrayList<>();
        for (String b : backgrounds) {
            try {
                kinds.add(LoadSpike.Background.valueOf(b.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--background: unknown kind '" + b
                        + "'; use hints, anti_entropy, transfer or none");
            }
        }
        if (keys < 1) {
            throw new ParameterException(spec.commandLine(), "--keys must be at least 1, was " + keys);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Command: ./dynamo sim admission --seed " + seed + " --keys " + keys + " --background "
                + String.join(",", backgrounds));
        out.println(LoadSpike.HEADER);
        for (LoadSpike.Background kind : kinds) {
            for (boolean on : new boolean[] {true, false}) {
                LoadSpike.Config d = LoadSpike.Config.of(kind, on, seed);
                LoadSpike.Result r = LoadSpike.run(new LoadSpike.Config(kind, on, seed, keys, d.baseRate(),
                        d.spikeFactor(), d.phase(), d.deadline()));
                out.println(r.row());
                if (load) {
                    out.println("    " + r.subjectLoad().replace("\n", "\n    "));
                }
                out.flush();
            }
        }
        return 0;
    }
}
