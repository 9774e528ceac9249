package dev.mkplat.traffic.engine;

import javax.net.ssl.SSLContext;

/**
 * How one run talks TLS: the context that holds its trust anchors (made once per run, since
 * reading them is not free) and whether server host names are checked ({@code --insecure} turns
 * that off).
 */
public record ClientTls(SSLContext context, boolean verifyHostName) {
    public static ClientTls of(TrustSettings trust) {
        return new ClientTls(HttpEngine.sslContext(trust), !trust.insecure());
    }
}
