package io.quiver.support;

import java.io.IOException;
import java.net.ServerSocket;

/** Free loopback ports for the servers the tests start. */
final class Ports {

    private Ports() {
    }

    static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
