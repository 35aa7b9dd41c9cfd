package io.quiver.deploy;

import static io.quiver.deploy.Sizes.MIB;
import static io.quiver.deploy.Sizes.mib;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.quiver.deploy.Deployable.Workload;

/**
 * What the quiver container may take of its pod's memory and disk, from the settings that bound each use, against
 * the limit that bounds the sum: memory (heap share, DuckDB's two engines, the Arrow batches of concurrent bulk
 * uploads) against the container's memory limit, and each volume's contents (staged uploads, local copies of data
 * files, cached virtual results) against its sizeLimit. Over a limit the pod is OOM-killed or evicted, where the app
 * would otherwise refuse work with an error. DuckDB's spill files are bounded by DuckDB alone and not counted.
 */
final class PodBudget {

    /** Memory a JVM takes besides its heap: metaspace, code cache (up to 240 MiB), thread stacks, GC structures, Netty buffers. */
    static final long JVM_NON_HEAP = 512 * MIB;

    private static final Pattern MAX_RAM = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");

    private PodBudget() {
    }

    /** The heap's share of container memory set by -XX:MaxRAMPercentage (the last one wins, as in the JVM). */
    static Optional<Double> heapPercentage(Workload w) {
        Matcher m = MAX_RAM.matcher(w.jvmOptions());
        Double last = null;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return Optional.ofNullable(last);
    }

    static List<String> memory(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        Quantity limit = w.container().getResources().getLimits().get("memory");
        Optional<Double> heap = heapPercentage(w);
        if (limit == null || heap.isEmpty()) {
            problems.add(w.where() + " needs a memory limit and -XX:MaxRAMPercentage (the heap as a share of it, no -Xmx) for its "
                    + "memory to be budgeted");
            return problems;
        }
        long bytes = Sizes.quantity(limit).longValue();
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("heap (" + heap.get() + "% of " + limit + ")", (long) (bytes * heap.get() / 100));
        parts.put("DuckDB (QUIVER_DUCKDB_MEMORY_LIMIT)", Sizes.duckDb(w.require("QUIVER_DUCKDB_MEMORY_LIMIT", app)));
        parts.put("virtual executor (QUIVER_VIRTUAL_MEMORY_LIMIT)", Sizes.duckDb(w.require("QUIVER_VIRTUAL_MEMORY_LIMIT", app)));
        parts.put("Arrow batches (QUIVER_INGEST_MAX_ARROW_BATCH_BYTES x QUIVER_INGEST_MAX_CONCURRENT_UPLOADS)",
                Long.parseLong(w.require("QUIVER_INGEST_MAX_ARROW_BATCH_BYTES", app))
                        * Long.parseLong(w.require("QUIVER_INGEST_MAX_CONCURRENT_UPLOADS", app)));
        parts.put("JVM non-heap", JVM_NON_HEAP);
        long total = parts.values().stream().mapToLong(Long::longValue).sum();
        if (total > bytes) {
            problems.add(w.where() + " may use " + mib(total) + " of memory, over its limit of " + mib(bytes) + " (it would be "
                    + "OOM-killed): " + describe(parts) + "; lower these settings or raise the limit");
        }
        Optional<String> threads = w.env("QUIVER_DUCKDB_THREADS");
        Quantity cpu = w.container().getResources().getLimits().get("cpu");
        if (threads.isPresent() && cpu != null
                && new BigDecimal(threads.get()).compareTo(Sizes.quantity(cpu).setScale(0, java.math.RoundingMode.CEILING)) > 0) {
            problems.add(w.where() + " gives DuckDB " + threads.get() + " threads (QUIVER_DUCKDB_THREADS) on a CPU limit of " + cpu);
        }
        return problems;
    }

    static List<String> disk(Workload w, AppConfiguration app) {
        Map<String, Long> uses = new LinkedHashMap<>();
        String tmp = w.tmpdir();
        uses.put(tmp + ": staged uploads (QUIVER_MAX_UPLOAD_SIZE x QUIVER_INGEST_MAX_CONCURRENT_UPLOADS)",
                Sizes.quarkusMemory(w.require("QUIVER_MAX_UPLOAD_SIZE", app)) * Long.parseLong(w.require("QUIVER_INGEST_MAX_CONCURRENT_UPLOADS", app)));
        uses.put(w.env("QUIVER_OFFLINE_CACHE_DIR").orElse(tmp) + ": local copies of data files (QUIVER_OFFLINE_CACHE_MAX_BYTES)",
                Long.parseLong(w.require("QUIVER_OFFLINE_CACHE_MAX_BYTES", app)));
        uses.put(w.env("QUIVER_VIRTUAL_SCRATCH_DIRECTORY").orElse(tmp) + ": cached virtual results (QUIVER_VIRTUAL_RESULT_CACHE_MAX_BYTES)",
                Long.parseLong(w.require("QUIVER_VIRTUAL_RESULT_CACHE_MAX_BYTES", app)));
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Long>> byVolume = new LinkedHashMap<>();
        for (Map.Entry<String, Long> use : uses.entrySet()) {
            String path = use.getKey().substring(0, use.getKey().indexOf(':'));
            Optional<VolumeMount> mount = w.mountFor(path);
            if (mount.isEmpty()) {
                problems.add(w.where() + " writes " + use.getKey() + " outside every volume, on its read-only root filesystem");
            } else {
                byVolume.computeIfAbsent(mount.get().getName(), k -> new LinkedHashMap<>()).put(use.getKey(), use.getValue());
            }
        }
        for (Map.Entry<String, Map<String, Long>> volume : byVolume.entrySet()) {
            Optional<Quantity> size = w.volume(volume.getKey()).map(Volume::getEmptyDir).map(e -> e.getSizeLimit());
            long total = volume.getValue().values().stream().mapToLong(Long::longValue).sum();
            if (size.isEmpty()) {
                problems.add(w.where() + " keeps " + mib(total) + " on volume " + volume.getKey() + ", which is not an emptyDir with a sizeLimit");
            } else if (total > Sizes.quantity(size.get()).longValue()) {
                problems.add(w.where() + " may keep " + mib(total) + " on volume " + volume.getKey() + ", over its sizeLimit of "
                        + size.get() + " (the pod would be evicted): " + describe(volume.getValue()));
            }
        }
        return problems;
    }

    private static String describe(Map<String, Long> parts) {
        StringBuilder out = new StringBuilder();
        parts.forEach((what, bytes) -> out.append(out.length() == 0 ? "" : " + ").append(what).append(' ').append(mib(bytes)));
        return out.toString();
    }
}
