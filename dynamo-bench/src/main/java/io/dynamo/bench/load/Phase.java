package io.dynamo.bench.load;

/** The phases of a run, as progress reports name them. */
public enum Phase {
    /** Writing the records. */
    LOAD("load"),
    /** The run phase before measuring starts. */
    WARMUP("warm-up"),
    /** The measured run phase. */
    RUN("run");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
