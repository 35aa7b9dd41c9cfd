package io.quiver.columnar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A channel over an input stream that moves data in large chunks. {@code Channels.newChannel} copies at most 8 KiB
 * per call and asks the stream how much is available in between, which showed up when reading gigabyte request
 * bodies.
 */
final class InputStreamChannel implements ReadableByteChannel {

    private static final int CHUNK = 1 << 20;

    private final InputStream in;
    private final byte[] buffer = new byte[CHUNK];
    private boolean open = true;

    InputStreamChannel(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = in.read(buffer, 0, Math.min(buffer.length, dst.remaining()));
        if (n > 0) {
            dst.put(buffer, 0, n);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }
}
