/**
 * Checks as data (after linkerd's healthcheck): a {@link dev.mkplat.check.Check} is a description,
 * a hint, a severity and the function that runs it. {@link dev.mkplat.check.CheckRunner} runs a
 * list of them in order and {@link dev.mkplat.check.CheckReport} prints ✓ ‼ × and decides the exit
 * code. {@code init}, {@code status --check} and {@code monitor targets} share them.
 */
package dev.mkplat.check;
