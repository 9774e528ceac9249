/** Structured logging: one JSON object per line on stdout, for log shippers to read without parsing rules. */
package dev.mkplat.service.logging;
