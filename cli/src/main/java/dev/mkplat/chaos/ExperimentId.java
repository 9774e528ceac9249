package dev.mkplat.chaos;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Who runs an experiment, as a lock holder names it: host, process and a random suffix, so that a message can say who holds a component. */
final class ExperimentId {
    private ExperimentId() {}

    static String next() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "/pid-" + ProcessHandle.current().pid() + "/"
                + HexFormat.of().formatHex(suffix);
    }
}
