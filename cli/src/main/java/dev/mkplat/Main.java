package dev.mkplat;

import dev.mkplat.cli.Cli;

/** The entry point of {@code mkplat.jar}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(Cli.create(args).execute(args));
    }
}
