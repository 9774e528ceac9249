/**
 * Password hashing: Argon2id with the PHC string format, and the bounded pool of platform threads
 * that runs it off the request threads.
 */
package dev.mkplat.auth.password;
