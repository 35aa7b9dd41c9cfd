package io.quiver.api.http;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns off HTTP/2 over cleartext (h2c) on the plain HTTP port; HTTP/2 over TLS (negotiated by ALPN) stays on.
 * <p>
 * Clients that offer the upgrade (curl --http2, the JDK's HttpClient by default) send it on a request that may carry
 * a bulk body, and Vert.x switches protocols before that body arrives: a chunked upload after {@code 100-continue}
 * lost its body (a valid Arrow stream answered 400), and a slow streamed body was held back from the application
 * (so it never took an upload slot). With h2c off such a request is answered in HTTP/1.1 with its body streamed as
 * usual. Nothing is lost: every client of a plain port speaks HTTP/1.1, and multiplexing matters behind TLS only.
 */
@ApplicationScoped
public class NoCleartextUpgrade implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
