package dev.mkplat.kube;

/** What happened to one object. */
public enum ApplyOutcome {
    /** It did not exist and now does. */
    CREATED("created"),
    /** It existed and changed. */
    CONFIGURED("configured"),
    /** It existed and the apply changed nothing (the resourceVersion stayed). */
    UNCHANGED("unchanged"),
    /** It existed and was left as it is on purpose (for example a generated Secret, never rotated silently). */
    KEPT("kept"),
    /** It was ours, is no longer in the bundle, and was deleted. */
    PRUNED("pruned"),
    /** It was deleted by destroy. */
    DELETED("deleted"),
    /** Another field manager owns a field we set; nothing was written. */
    CONFLICT("conflict"),
    /** The apiserver refused it. */
    FAILED("failed");

    private final String label;

    ApplyOutcome(String label) {
        this.label = label;
    }

    /** The word printed in front of the object. */
    public String label() {
        return label;
    }

    /** Whether the object reached the state asked for. */
    public boolean succeeded() {
        return this != CONFLICT && this != FAILED;
    }

    /** Whether this outcome means the cluster was written to. */
    public boolean wrote() {
        return this == CREATED || this == CONFIGURED || this == PRUNED || this == DELETED;
    }
}
