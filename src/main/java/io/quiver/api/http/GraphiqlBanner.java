package io.quiver.api.http;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quiver.config.QuiverConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * On an open instance, GraphiQL's page carries a red banner saying that security is off: this route fetches the
 * page from the UI's own handler on this server and adds the banner at the top of its body. Secured instances (and
 * the UI's scripts and styles) are served untouched.
 */
@ApplicationScoped
public class GraphiqlBanner {

    /** Marks the inner request, which the UI's handler answers as usual. */
    static final String INNER = "X-Quiver-Graphiql-Inner";
    static final String BANNER = "<div id=\"quiver-open-banner\" style=\"background:#b00020;color:#fff;font:bold 14px sans-serif;padding:8px 12px;"
            + "position:relative;z-index:9999\">SECURITY IS OFF: this Quiver instance runs open (quiver.security.open=true); every request may "
            + "read, write, delete and administer everything without a key. Never expose it.</div>";

    private final boolean active;
    private final String uiPath;
    private HttpClient client;

    public GraphiqlBanner(QuiverConfig config, @ConfigProperty(name = "quarkus.smallrye-graphql.ui.enabled", defaultValue = "false") boolean ui,
            @ConfigProperty(name = "quarkus.smallrye-graphql.ui.root-path", defaultValue = "graphql-ui") String uiRoot,
            @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String nonApplicationRoot) {
        this.active = ui && config.security().open();
        String root = nonApplicationRoot.startsWith("/") ? nonApplicationRoot : "/" + nonApplicationRoot;
        this.uiPath = uiRoot.startsWith("/") ? uiRoot : root + "/" + uiRoot;
    }

    void register(@Observes Router router, Vertx vertx) {
        if (!active) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(4));
        router.getWithRegex(java.util.regex.Pattern.quote(uiPath) + "/?(index\\.html)?").order(-200).handler(this::page);
    }

    private void page(RoutingContext ctx) {
        if (ctx.request().getHeader(INNER) != null) {
            ctx.next();
            return;
        }
        RequestOptions inner = new RequestOptions().setMethod(HttpMethod.GET).setHost(ctx.request().localAddress().hostAddress()).setPort(ctx.request().localAddress().port())
                .setURI(uiPath + "/").putHeader(INNER, "1").putHeader(HttpHeaders.ACCEPT, "text/html");
        client.request(inner).compose(r -> r.send().compose(response -> response.body().map(body -> {
            String html = body.toString();
            int at = html.indexOf("<body");
            int end = at < 0 ? -1 : html.indexOf('>', at);
            String page = end < 0 ? BANNER + html : html.substring(0, end + 1) + BANNER + html.substring(end + 1);
            return new Object[] { response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE), page };
        }))).onSuccess(r -> ctx.response().setStatusCode((Integer) r[0]).putHeader(HttpHeaders.CONTENT_TYPE, r[1] == null ? "text/html" : (String) r[1])
                .end(Buffer.buffer((String) r[2]))).onFailure(e -> ctx.next());
    }
}
