package io.sightline.k8s.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** An ephemeral port on 127.0.0.1 for a server the test starts as a separate process (which cannot bind 0 for us). */
public final class FreePort {

    private FreePort() {}

    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
