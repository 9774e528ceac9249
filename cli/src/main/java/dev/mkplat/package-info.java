/** mkplat: installs a small, secure, observable microservices platform on Kubernetes. */
package dev.mkplat;
