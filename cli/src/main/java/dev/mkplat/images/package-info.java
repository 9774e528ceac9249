/**
 * The platform's container images outside the cluster, for {@code mkplat images}: the source
 * checkout the service images are built from ({@link dev.mkplat.images.SourceCheckout}, whose
 * Maven build writes an OCI archive and its digest per service), building them ({@link
 * dev.mkplat.images.ImageBuild}), which local cluster the current context is and how images get
 * into it ({@link dev.mkplat.images.LoadTarget}, a pure function of what the cluster and {@code
 * PATH} show), pushing archives to a registry without changing their digest ({@link
 * dev.mkplat.images.ArchivePush}, with crane), asking a registry for a digest ({@link
 * dev.mkplat.images.RegistryLookup}), and the images the rendered platform needs ({@link
 * dev.mkplat.images.RequiredImages}). {@link dev.mkplat.images.ImagePins} is what deploy learns
 * from all this: the digests to pin, an input to the pure rendering.
 */
package dev.mkplat.images;
