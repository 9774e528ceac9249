package dev.mkplat.cli;

import dev.mkplat.core.OutputFormat;
import picocli.CommandLine.Option;

/** {@code -o text|json|yaml}, mixed into the commands whose result a program may want to read. */
public final class OutputOptions {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format = OutputFormat.TEXT;

    public OutputFormat format() {
        return format;
    }
}
