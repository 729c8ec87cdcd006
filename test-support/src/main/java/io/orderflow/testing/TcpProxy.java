package io.orderflow.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on 127.0.0.1 in front of a server, which a test can take down and bring back: down, it refuses
 * connections and has cut the open ones, as a server that went away does; back up, it listens on the same port. For
 * outages of servers whose state a restart would lose (an in-memory schema registry).
 */
public final class TcpProxy implements AutoCloseable {

    private final int port;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    private TcpProxy(int port, InetSocketAddress target) {
        this.port = port;
        this.target = target;
    }

    /** Forwards a free local port to {@code targetHost}:{@code targetPort}. */
    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        TcpProxy proxy = new TcpProxy(port, new InetSocketAddress(targetHost, targetPort));
        proxy.up();
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Listens again on the same port. */
    public synchronized void up() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        listener = socket;
        Thread accept = new Thread(() -> accept(socket), "tcp-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /** Stops listening and cuts every open connection. */
    public synchronized void down() {
        ServerSocket socket = listener;
        listener = null;
        if (socket != null) {
            closeQuietly(socket);
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket();
                try {
                    server.connect(target, 5_000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                open.add(server);
                pipe(client, server);
                pipe(server, client);
            } catch (IOException e) {
                return;   // closed by down() or close()
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: end both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-" + port + "-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
    }
}
