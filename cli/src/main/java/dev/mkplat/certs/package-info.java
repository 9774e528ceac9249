/**
 * The platform's TLS: a local CA limited by name constraints to the platform domain, the server
 * certificate it issues for every platform host, the PEM files in {@code certs/<domain>/}, the
 * decisions of {@code certs generate} (keep, renew, create) and how to trust the CA on this machine.
 * BouncyCastle builds the certificates; the JDK's own providers make the keys and signatures.
 */
package dev.mkplat.certs;
