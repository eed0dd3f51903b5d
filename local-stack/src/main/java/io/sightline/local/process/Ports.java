package io.sightline.local.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks ports on 127.0.0.1 for the stack: the well-known one when it is free (so the URLs are the familiar ones),
 * otherwise any free port, so the stack also starts next to a running Prometheus or another local stack. A port is
 * handed out once, because the processes bind them only later.
 */
public final class Ports {

    private final Set<Integer> handedOut = new HashSet<>();
    private final boolean wellKnownFirst;

    public Ports() {
        this(true);
    }

    private Ports(boolean wellKnownFirst) {
        this.wellKnownFirst = wellKnownFirst;
    }

    /** Ports that never try the well-known one: for tests, which run next to each other. */
    public static Ports anyFree() {
        return new Ports(false);
    }

    public synchronized int preferred(int port) {
        if (wellKnownFirst && !handedOut.contains(port) && isFree(port)) {
            handedOut.add(port);
            return port;
        }
        return any();
    }

    public synchronized int any() {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (handedOut.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
        }
        throw new IllegalStateException("the system kept offering ports already handed out");
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
