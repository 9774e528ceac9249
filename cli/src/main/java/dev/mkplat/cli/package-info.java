/**
 * The picocli commands and nothing else: each one validates its options, builds a request, calls
 * the domain package that does the work, and returns an exit code. {@link dev.mkplat.cli.Cli}
 * builds the one {@code CommandLine} with the error handling every command shares.
 */
package dev.mkplat.cli;
