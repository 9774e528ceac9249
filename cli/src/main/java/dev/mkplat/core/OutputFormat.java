package dev.mkplat.core;

/** How a command prints its result: for people ({@code text}) or for programs ({@code json}, {@code yaml}). */
public enum OutputFormat {
    TEXT,
    JSON,
    YAML
}
