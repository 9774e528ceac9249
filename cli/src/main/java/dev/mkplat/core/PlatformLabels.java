package dev.mkplat.core;

/**
 * The labels every object mkplat makes carries, defined once for the renderer, the Secret planner
 * and the applier (whose prune deletes only objects that carry {@link #MANAGED_BY}={@link #MKPLAT}).
 */
public final class PlatformLabels {
    /** Who manages the object; prune deletes nothing without {@code MANAGED_BY=MKPLAT}. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The application the object is part of. */
    public static final String PART_OF = "app.kubernetes.io/part-of";
    /** The value of both: mkplat. */
    public static final String MKPLAT = "mkplat";

    private PlatformLabels() {}
}
