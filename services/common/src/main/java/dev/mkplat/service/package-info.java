/**
 * What the three platform services share: starting a Helidon server from configuration the same way
 * ({@link dev.mkplat.service.ServiceServer}) and publishing their OpenAPI document.
 */
package dev.mkplat.service;
