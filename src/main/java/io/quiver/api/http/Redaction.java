package io.quiver.api.http;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import io.quiver.config.QuiverConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;

/**
 * The last guard on every error text a client sees: whatever an error message says, the deployment's own details
 * (scratch, cache and data directories, the object store's endpoint and bucket, the registry database's and Redis'
 * addresses, credentials) and Java exception class names are replaced by neutral words before it leaves the service.
 * Messages are written not to need this (the cause goes to the log, with the request id); this catches what slips.
 */
@ApplicationScoped
public class Redaction {

    private static final Pattern EXCEPTION_CLASS = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:[a-z0-9]+:[^\\s'\"]+");

    private final List<String> secrets;
    private final List<Pattern> paths;

    public Redaction(QuiverConfig quiver, Config config) {
        Set<String> s = new LinkedHashSet<>();
        QuiverConfig.ObjectStore o = quiver.objectStore();
        if (o.type() == QuiverConfig.ObjectStore.Kind.S3) {
            addEndpoint(s, o.s3Endpoint());
            s.add("'" + o.s3Bucket() + "'");
        }
        o.s3AccessKey().ifPresent(s::add);
        o.s3SecretKey().ifPresent(s::add);
        config.getOptionalValue("quarkus.redis.hosts", String.class).ifPresent(h -> {
            for (String one : h.split(",")) {
                addEndpoint(s, one.trim());
            }
        });
        config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).ifPresent(url -> {
            s.add(url);
            String rest = url.replaceFirst("^jdbc:[a-z0-9]+:", "");
            if (rest.startsWith("//")) {
                addEndpoint(s, "x:" + rest);
            }
        });
        config.getOptionalValue("quarkus.datasource.password", String.class).filter(p -> p.length() >= 4).ifPresent(s::add);
        s.removeIf(x -> x == null || x.length() < 3);
        List<String> sorted = new ArrayList<>(s);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a URL before its host:port
        this.secrets = List.copyOf(sorted);

        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(System.getProperty("java.io.tmpdir"));
        dirs.add(System.getProperty("user.dir"));
        dirs.add(System.getProperty("user.home"));
        quiver.offline().cacheDir().ifPresent(dirs::add);
        quiver.duckdb().tempDirectory().ifPresent(dirs::add);
        dirs.add(quiver.objectStore().localRoot());
        List<Pattern> p = new ArrayList<>();
        for (String d : dirs) {
            if (d != null && !d.isBlank()) {
                String abs = Path.of(d).toAbsolutePath().normalize().toString();
                if (abs.length() > 1) {
                    p.add(Pattern.compile(Pattern.quote(abs) + "[^\\s'\",;)]*"));
                }
            }
        }
        this.paths = List.copyOf(p);
    }

    private static void addEndpoint(Set<String> s, String url) {
        s.add(url);
        try {
            URI u = URI.create(url);
            if (u.getHost() != null) {
                s.add(u.getPort() > 0 ? u.getHost() + ":" + u.getPort() : u.getHost());
            }
        } catch (IllegalArgumentException e) {
            // not a URL: the whole text stays listed
        }
    }

    /** The message without the deployment's details. */
    public String redact(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String secret : secrets) {
            out = out.replace(secret, "<internal>");
        }
        for (Pattern p : paths) {
            out = p.matcher(out).replaceAll("<local file>");
        }
        out = JDBC_URL.matcher(out).replaceAll("<database>");
        Matcher m = EXCEPTION_CLASS.matcher(out);
        return m.replaceAll("an internal error");
    }
}
