/**
 * HTTP plumbing shared by the services: routes that know their template, the one place that maps
 * errors to JSON responses, request ids, access logs and request metrics, and JSON body parsing
 * with validation.
 */
package dev.mkplat.service.http;
