/**
 * {@code mkplat.yaml}: the validated {@link dev.mkplat.config.PlatformConfig} record, the loader
 * that reports every unknown key, wrong type or bad value as {@code file:line:column}, and the
 * commented default file {@code mkplat init} writes.
 */
package dev.mkplat.config;
