package io.quiver.virtual;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.SourceFormat;

/**
 * The files of a data source in the object store: those under its location (a key prefix, or a glob whose literal
 * part is the prefix), of its format, with the Hive partition values in their paths ({@code date=2026-11-01/}).
 * Names its version (a digest of every file's key and etag), and prunes files by partition before anything is
 * downloaded.
 */
public final class LakeFiles {

    /** A file of a data source with its partition values, by partition column. */
    public record LakeFile(ObjectInfo object, Map<String, String> partitions) {
    }

    private LakeFiles() {
    }

    /** Every file of the data source now, in key order. */
    public static List<LakeFile> list(ObjectStore objects, DataSource source) {
        return list(objects, source.location(), source.format());
    }

    /** Every file under the location (prefix or glob) of the format, in key order. */
    public static List<LakeFile> list(ObjectStore objects, String location, SourceFormat format) {
        String prefix = prefixOf(location);
        Pattern glob = isGlob(location) ? globPattern(location) : null;
        List<LakeFile> out = new ArrayList<>();
        for (ObjectInfo o : objects.list(prefix)) {
            if ((glob == null ? matchesFormat(o.key(), format) : glob.matcher(o.key()).matches()) && o.size() > 0) {
                out.add(new LakeFile(o, partitions(o.key().substring(prefix.length()))));
            }
        }
        return out;
    }

    /** The version of a set of files: it changes when a file is added, removed or rewritten. */
    public static String version(List<LakeFile> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (LakeFile f : files) {
                digest.update((f.object().key() + "\u0000" + f.object().etag() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The files that can hold rows with an event time in [from, to] when {@code column} is a partition holding each
     * row's event date (UTC): others are skipped before any download. Files without the partition are kept.
     */
    public static List<LakeFile> prune(List<LakeFile> files, String column, Instant from, Instant to) {
        if (column == null || (from == null && to == null)) {
            return files;
        }
        LocalDate first = from == null ? null : LocalDate.ofInstant(from, ZoneOffset.UTC);
        LocalDate last = to == null ? null : LocalDate.ofInstant(to, ZoneOffset.UTC);
        List<LakeFile> out = new ArrayList<>();
        for (LakeFile f : files) {
            String v = f.partitions().get(column);
            LocalDate day = date(v);
            if (day == null || (first == null || !day.isBefore(first)) && (last == null || !day.isAfter(last))) {
                out.add(f);
            }
        }
        return out;
    }

    static boolean isGlob(String location) {
        return location.contains("*") || location.contains("?");
    }

    /** The literal directory part of a location: everything before its first wildcard segment. */
    static String prefixOf(String location) {
        if (!isGlob(location)) {
            return location.endsWith("/") || location.isEmpty() ? location : location + "/";
        }
        int star = location.length();
        for (char c : new char[] {'*', '?'}) {
            int i = location.indexOf(c);
            if (i >= 0) {
                star = Math.min(star, i);
            }
        }
        int slash = location.lastIndexOf('/', star);
        return slash < 0 ? "" : location.substring(0, slash + 1);
    }

    /** {@code **} any number of directories, {@code *} within one name, {@code ?} one character. */
    static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean dir = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                re.append(dir ? "(?:.*/)?" : ".*");
                i += dir ? 2 : 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    private static boolean matchesFormat(String key, SourceFormat format) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return switch (format) {
            case PARQUET -> k.endsWith(".parquet");
            case CSV -> k.endsWith(".csv") || k.endsWith(".csv.gz");
            case JSON -> k.endsWith(".json") || k.endsWith(".jsonl") || k.endsWith(".ndjson") || k.endsWith(".json.gz");
        };
    }

    /** Hive-style {@code name=value} directories of a path below the location. */
    static Map<String, String> partitions(String relative) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] segments = relative.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            int eq = segments[i].indexOf('=');
            if (eq > 0) {
                out.put(segments[i].substring(0, eq), segments[i].substring(eq + 1));
            }
        }
        return out;
    }

    private static LocalDate date(String v) {
        if (v == null) {
            return null;
        }
        try {
            return LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
