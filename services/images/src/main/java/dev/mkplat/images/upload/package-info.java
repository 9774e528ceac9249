/**
 * Reading an upload from the request: raw bodies and {@code multipart/form-data}, bounded in size
 * while reading, with the image type decided by the file's magic bytes rather than by any header.
 */
package dev.mkplat.images.upload;
