package io.quiver.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a real server that can cut one connection at a chosen moment of a PostgreSQL transaction,
 * the way a network failure does: after the client sent a statement containing a marker (e.g. {@code qv_snapshot}),
 * either its COMMIT is swallowed and the connection closed before the server sees it (the transaction rolls back),
 * or the COMMIT goes through and the server's answer is swallowed (the transaction committed, the client cannot
 * know). Everything else is forwarded byte for byte.
 */
public final class FaultyProxy implements AutoCloseable {

    /** Where to cut a connection whose transaction wrote the marker. */
    public enum Cut {
        /** Close before the COMMIT reaches the server. */
        BEFORE_COMMIT,
        /** Let the COMMIT through, close before its answer reaches the client. */
        AFTER_COMMIT
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean down;
    private volatile long slowMillis;

    private record Armed(String marker, Cut cut) {
    }

    public FaultyProxy(String host, int port) {
        try {
            this.target = new InetSocketAddress(host, port);
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("could not open the proxy's port", e);
        }
        Thread accept = new Thread(this::accept, "faulty-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Cuts the next connection whose transaction sends {@code marker} (case-insensitive), once. */
    public void arm(String marker, Cut cut) {
        armed.set(new Armed(marker.toLowerCase(Locale.ROOT), cut));
    }

    /** Down: every open connection is cut and new ones are closed at once, as when the database is unreachable. */
    public void down(boolean down) {
        this.down = down;
        if (down) {
            sockets.forEach(FaultyProxy::closeQuietly);
            sockets.clear();
        }
    }

    /** Holds every chunk of the server's answers for {@code delay} before passing it on (zero: at once again). */
    public void slow(java.time.Duration delay) {
        this.slowMillis = delay.toMillis();
    }

    /** How many connections were cut so far. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (down) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket();
                server.connect(target, 5_000);
                sockets.add(client);
                sockets.add(server);
                Connection c = new Connection(client, server);
                start("faulty-proxy-up", () -> c.pump(client, server, true));
                start("faulty-proxy-down", () -> c.pump(server, client, false));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    continue;
                }
                return;
            }
        }
    }

    private static void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    /** One proxied connection and where it is in the armed scenario. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private volatile boolean sawMarker;
        private volatile boolean commitSent;
        /** The text seen recently from the client, for markers split across reads. */
        private String tail = "";

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean upstream) {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (upstream && inspect(buffer, n)) {
                        cut();
                        return;
                    }
                    if (!upstream && commitSent) {
                        cut(); // the server answered the COMMIT: it committed; the client never hears it
                        return;
                    }
                    if (!upstream && slowMillis > 0) {
                        Thread.sleep(slowMillis);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(client);
                closeQuietly(server);
            }
        }

        /** @return true to cut now, before forwarding this client data */
        private synchronized boolean inspect(byte[] buffer, int n) {
            Armed a = armed.get();
            String text = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            tail = text.length() > 256 ? text.substring(text.length() - 256) : text;
            if (a == null) {
                return false;
            }
            if (!sawMarker && text.contains(a.marker())) {
                sawMarker = true;
            }
            // pgjdbc sends COMMIT as a statement of its own, its text null-terminated (a column like commit_id is not it);
            // with prepareThreshold=0 it sends every statement's text, never a server-side prepared statement's name
            if (sawMarker && text.contains("commit\u0000") && armed.compareAndSet(a, null)) {
                if (a.cut() == Cut.BEFORE_COMMIT) {
                    return true;
                }
                commitSent = true;
            }
            return false;
        }

        private void cut() {
            cuts.incrementAndGet();
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(FaultyProxy::closeQuietly);
    }

    private static void closeQuietly(ServerSocket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
