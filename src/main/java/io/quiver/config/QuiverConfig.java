package io.quiver.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Global configuration, the outermost layer: a feature group's definition overrides these, a feature's overrides
 * its group's (see {@link ConfigKey}). Keys follow the seeds' {@code feature_store} settings.
 */
@ConfigMapping(prefix = "quiver")
public interface QuiverConfig {

    /**
     * Serving mode of groups that name none. HYBRID groups with a query template are served as the hybrid selector
     * decides; those without one can only be served from stored data ({@code servedAs} says which).
     */
    @WithDefault("MATERIALIZED")
    Mode mode();

    /**
     * Prefix in the object store of materialized data; a group's default storage path is {@code <this>/<group>}, and
     * each of its versions keeps its files in a directory of its own below that.
     */
    @WithDefault("feature_store")
    String storagePath();

    /** File format of materialized snapshots; only PARQUET is implemented. */
    @WithDefault("PARQUET")
    StorageFormat storageFormat();

    /** Whether groups may be served by the virtual executor (VIRTUALIZED groups need it; HYBRID ones are stored without it). */
    @WithDefault("true")
    boolean enableVirtualization();

    /**
     * Engine for a group's large work: DUCKDB (everything on this node) or SPARK (backfills and training sets of at
     * least {@code quiver.spark.min-rows} rows go to the Spark Connect server at {@code quiver.spark.url}; interactive
     * reads stay on DuckDB). Settable per group.
     */
    @WithDefault("DUCKDB")
    QueryExecutorType queryExecutorType();

    /** Whether each group with a query template is also a virtual table ({@code queryVirtualTable}). */
    @WithDefault("true")
    boolean registerVirtualTables();

    /** Prefix of those virtual table names. */
    @WithDefault("features_")
    String virtualTablePrefix();

    /**
     * The size at which a hybrid group's virtual query is assumed to take {@code quiver.hybrid.virtual-read-estimate}
     * per read until reads are measured; the estimated cost of a full refresh grows with rows over this.
     */
    @WithDefault("10000")
    long hybridThresholdRows();

    /** How long a hybrid decision stands before the scheduled evaluation computes it again (forceStrategy and evaluateStrategy act at once). */
    @WithDefault("PT1H")
    Duration hybridCacheTtl();

    /**
     * Whether a hybrid group the selector turns MATERIALIZED is filled (snapshot from its query, then the online store)
     * by a background job; when false the decision is only recommended and the group stays VIRTUALIZED.
     */
    @WithDefault("true")
    boolean autoMaterializeOnRead();

    /** Registry settings. */
    Registry registry();

    /** Demo catalog settings. */
    Demo demo();

    /** Where immutable objects (Parquet files) are kept. */
    ObjectStore objectStore();

    /** Write path settings. */
    Ingest ingest();

    /** Offline store settings. */
    Offline offline();

    /** The embedded DuckDB engine that writes, reads and joins Parquet (one instance shared by all requests). */
    Duckdb duckdb();

    /** Online store settings. */
    Online online();

    /** The virtual executor: DuckDB queries over lake data, sandboxed, for VIRTUALIZED and HYBRID groups. */
    Virtual virtual();

    /** Bounds on API requests. */
    Api api();

    Security security();

    /** Access metrics: counted per group in each process, flushed to the store the online store uses. */
    Access access();

    /** The hybrid selector's cost model and schedule. */
    Hybrid hybrid();

    /** The Spark Connect server that runs large work when {@code query_executor_type} is SPARK. */
    Spark spark();

    interface Access {
        /** How often counts are flushed to the access metrics store (Redis in production). */
        @WithDefault("PT1S")
        Duration flushInterval();

        /** Longest a flush or a metrics read waits for Redis; a flush past it drops its counts. */
        @WithDefault("PT2S")
        Duration timeout();
    }

    interface Hybrid {
        /** How often hybrid groups whose decision is older than {@code hybrid-cache-ttl} are evaluated (one replica at a time). */
        @WithDefault("PT1M")
        Duration evaluateInterval();

        /** Reads per hour at and above which a group is hot: materialized whenever its virtual reads are slower. */
        @WithDefault("600")
        double hotReadsPerHour();

        /** Reads per hour below which a group is cold: virtualized, nothing is worth storing for it. */
        @WithDefault("1")
        double coldReadsPerHour();

        /** Assumed time of one virtual read of a group of {@code hybrid-threshold-rows} rows, until reads are measured. */
        @WithDefault("PT0.05S")
        Duration virtualReadEstimate();

        /** Assumed time of one read from stored data, until reads are measured. */
        @WithDefault("PT0.002S")
        Duration materializedReadEstimate();

        /** How often a materialized hybrid group is refreshed from its query (more often when its TTL is shorter). */
        @WithDefault("PT1H")
        Duration refreshInterval();

        /** What storing one GiB for an hour is worth in milliseconds of compute: the weight of bytes in the cost model. */
        @WithDefault("1000")
        double storageMsPerGibHour();

        /** A strategy replaces the current one only when it costs this fraction less (so a group does not flip back and forth). */
        @WithDefault("0.2")
        double hysteresis();

        /** Reads of a strategy in the last day needed before its measured latency replaces the estimate. */
        @WithDefault("5")
        int minSamples();

        /**
         * The p99 an online read of a group should take, in milliseconds (0: no objective). A group that is not cold
         * and whose online reads, computed from lake data, took longer at p99 is MATERIALIZED whatever the costs, when
         * stored reads are faster. Overridable per group ({@code hybrid_online_p99_ms}).
         */
        @WithDefault("0")
        double onlineP99Ms();

        /**
         * Fills of hybrid groups that run at once on this replica (the others wait: fills that switch a group before
         * refreshes, shorter ones first). More than one, so that one long fill does not hold back every other group's
         * switch; each fill holds one query and one online load.
         */
        @WithDefault("2")
        int fillThreads();

        /** How long a group turned VIRTUALIZED keeps its stored data before it is expired. */
        @WithDefault("PT2H")
        Duration storedGrace();

        /**
         * How long the online records a refresh replaced are kept before they are dropped: longer than a replica may
         * still read them (its strategy cache holds an entry at most a minute without use).
         */
        @WithDefault("PT5M")
        Duration retiredGrace();
    }

    interface Security {
        /**
         * Serves every request without asking who sends it (all roles). The embedded default runs open; a deployment
         * must say so explicitly, or it refuses to start without a key secret.
         */
        @WithDefault("false")
        boolean open();

        /**
         * The server secret API keys are hashed with (HMAC-SHA256; at least 32 characters). Required unless open;
         * changing it invalidates every key.
         */
        Optional<String> keySecret();

        /**
         * An admin API key created at start when no key with this value exists yet (a {@code qvk_<id>_<secret>}
         * key: make one with {@code openssl rand}, see the README), so that the first admin can create the others.
         */
        Optional<String> bootstrapAdminKey();

        /** How long a verified key is trusted without asking the registry again (revocation reaches other replicas within it). */
        @WithDefault("PT5S")
        Duration keyCacheTtl();

        /**
         * Requests one API key (or, without a key, one client address) may make per {@code rate-limit-period} on
         * this replica; beyond, 429 with Retry-After. 0 turns the limit off.
         */
        @WithDefault("1000")
        int rateLimit();

        /** The period {@code rate-limit} counts over. */
        @WithDefault("PT1S")
        Duration rateLimitPeriod();

        /**
         * Makes every group restricted: only admins, its owner team and those a grant names may read or write it.
         * Off: a group with no owner team and no grant covering it is open to every key with the role.
         */
        @WithDefault("false")
        boolean grantsRequired();

        /** The OIDC token claim listing the caller's teams (for owner teams and grants); a list or one string. */
        @WithDefault("groups")
        String oidcTeamClaim();
    }

    interface Api {
        /**
         * Largest request body of the JSON routes ({@code /graphql}, {@code /get-online-features}), in bytes; larger
         * ones get 413. Only the bulk Arrow/Parquet routes take more ({@code QUIVER_MAX_UPLOAD_SIZE}).
         */
        @WithDefault("16777216")
        long maxJsonBody();

        /** Deepest nesting of objects and arrays in a JSON body. */
        @WithDefault("64")
        int maxJsonDepth();

        /** Most entities one request may read online, over all its reads (GraphQL aliases included). */
        @WithDefault("10000")
        int maxOnlineEntities();

        /**
         * Most fields a GraphQL document may select once its fragments are expanded: a fragment spread many times,
         * in fragments that spread each other, multiplies its fields (a few hundred tokens can ask for billions).
         */
        @WithDefault("10000")
        int maxExpandedFields();

        /**
         * Whether the feature catalog (a web UI on the public GraphQL API) is served at {@code /}. It holds no data
         * of its own: every page asks GraphQL with the key the person enters, so it shows what that key may see.
         */
        @WithDefault("true")
        boolean catalog();
    }

    interface Online {
        /** REDIS (shared by replicas; {@code quarkus.redis.*} says where) or MEMORY (this process only: the embedded default). */
        @WithDefault("REDIS")
        Kind type();

        /** Prefix of every Redis key Quiver writes, so one Redis can hold several deployments. */
        @WithDefault("quiver:")
        String keyPrefix();

        /** Longest an online read waits for Redis; past it the read is served from the offline store (degraded). */
        @WithDefault("PT0.5S")
        Duration readTimeout();

        /** Longest one batch of online writes may take. */
        @WithDefault("PT10S")
        Duration writeTimeout();

        /** Entities per call of the write script (standalone Redis; a cluster takes one per call). */
        @WithDefault("256")
        int keysPerScript();

        /**
         * Replicas each Redis write must reach before it is acknowledged ({@code WAIT}; a write that reaches fewer in
         * half the write timeout fails and is retried like any failed online write). 0 keeps Redis' asynchronous
         * replication, where a failover can lose the last acknowledged writes; set it to 1 when the masters have
         * replicas.
         */
        @WithDefault("0")
        int waitReplicas();

        /**
         * How long a materialization job's hold on its group lasts unless renewed (a running job renews it three
         * times per this length, whatever it is doing). A replica that dies mid-job frees the group after this; the
         * job is then ended as abandoned and may be run again, on any replica.
         */
        @WithDefault("PT5M")
        Duration jobLease();

        /**
         * How often every replica looks for schedule changes and abandoned jobs in the database (changes normally
         * arrive at once with the registry's notifications), as the scheduler writes an interval: {@code 60s}.
         */
        @WithDefault("60s")
        String scheduleRefresh();

        /**
         * Reads served from the offline store at once while the online store is down (each runs a DuckDB query over
         * local copies); beyond it a read gets SERVICE_BUSY at once.
         */
        @WithDefault("4")
        int maxConcurrentFallbacks();

        /** Longest one read from the offline store may take while the online store is down; it is cancelled past it. */
        @WithDefault("PT5S")
        Duration fallbackTimeout();

        /** Materialization jobs waiting for one of the two runner threads; beyond it a job ends FAILED at once (SERVICE_BUSY). */
        @WithDefault("100")
        int maxQueuedJobs();

        /** Subscriptions to job progress followed at once; beyond it a subscription is refused. */
        @WithDefault("256")
        int maxProgressSubscriptions();

        /** Records handed to the store at once by write-through and materialization. */
        @WithDefault("10000")
        int writeBatch();

        /**
         * After this many consecutive-ish failures (half of the last 4 calls) the store is not asked for
         * {@code circuit-delay}: reads go straight to the offline store instead of waiting for a timeout each.
         */
        @WithDefault("PT5S")
        Duration circuitDelay();

        /**
         * Whether readiness is DOWN while the online store is unreachable. False (the default) keeps the replica in
         * rotation, serving online reads from the offline store (degraded), which is what you want when every replica
         * shares the one Redis: otherwise all of them would leave the load balancer at once. The check reports the
         * store's state either way ({@code degraded} in its data, and the {@code quiver.health.degraded} gauge).
         */
        @WithDefault("false")
        boolean readinessRequiresStore();

        enum Kind {
            REDIS, MEMORY
        }
    }

    interface Virtual {
        /**
         * Memory the virtual executor's own DuckDB may hold across all its queries (DuckDB syntax); native memory.
         * Kept apart from the write path's engine, so a heavy template cannot starve writes.
         */
        @WithDefault("1GB")
        String memoryLimit();

        /** Worker threads of the virtual executor's engine; half the cores (at least 1) when absent. */
        java.util.Optional<Integer> threads();

        /** Virtual queries that may run at once; beyond, a read waits up to {@code queue-timeout}, then is refused. */
        @WithDefault("4")
        int maxConcurrentQueries();

        /** How long a virtual query may wait for a free slot before it is refused with SERVICE_BUSY. */
        @WithDefault("PT2S")
        Duration queueTimeout();

        /** Longest a virtual query may run; past it, DuckDB is interrupted and the read fails with VIRTUALIZATION_QUERY_FAILED. */
        @WithDefault("PT30S")
        Duration queryTimeout();

        /** How long a computed result (the rows a read needed) is reused; 0 turns the result cache off. */
        @WithDefault("PT5M")
        Duration resultCacheTtl();

        /** Most bytes the cached results may take on disk. */
        @WithDefault("268435456")
        long resultCacheMaxBytes();

        /** Lake files fetched into the local cache at once for one read. */
        @WithDefault("4")
        int fetchParallelism();

        /** Most distinct entities a historical read filters a virtual group by; beyond, only its time range is filtered. */
        @WithDefault("10000")
        int maxKeyFilter();

        /** Rows a queryVirtualTable answer may have at most (its limit is capped to this). */
        @WithDefault("10000")
        int maxTableRows();

        /**
         * How long a data source's file listing is reused by reads (a change in the lake shows within this time; cached
         * results are keyed by the listing's version, so none is ever older than the listing). 0 lists on every read.
         */
        @WithDefault("PT5S")
        Duration listingTtl();

        /** Where results are written; {@code <java.io.tmpdir>/quiver-virtual} when absent. */
        java.util.Optional<String> scratchDirectory();
    }

    interface Duckdb {
        /**
         * Memory DuckDB may hold across all requests (DuckDB syntax, e.g. 2GB); beyond it, sorts and staged uploads
         * spill to the temporary directory instead of failing. Native memory, not the Java heap.
         */
        @WithDefault("4GB")
        String memoryLimit();

        /** Worker threads of the engine; all available cores when absent. */
        java.util.Optional<Integer> threads();

        /** Where DuckDB spills; {@code <java.io.tmpdir>/quiver-duckdb} when absent. */
        java.util.Optional<String> tempDirectory();
    }

    interface Offline {
        /** Local copies of data files (immutable, so cached by key); the system temporary directory when absent. */
        java.util.Optional<String> cacheDir();

        /**
         * Files no snapshot references are deleted by expiry only once older than this: a younger one may belong to a
         * write that has uploaded but not yet committed.
         */
        @WithDefault("PT1H")
        Duration sweepGrace();

        /**
         * Most bytes the local copies of data files may take; the least recently used copies not being read are
         * removed beyond it (they are fetched again when needed).
         */
        @WithDefault("10737418240")
        long cacheMaxBytes();

        /**
         * zstd level of data files. 1 writes 10-20% faster than DuckDB's default (3) for files 3-4% larger
         * (measured on the benchmark data, see docs/performance.md).
         */
        @WithDefault("1")
        int zstdLevel();

        /** Most rows per data file of a bulk write (a multiple of the 122,880-row row group keeps row groups full). */
        @WithDefault("983040")
        long fileRows();

        /**
         * How often this process renews the intents of its writes in progress. Must be well below {@code sweep-grace}:
         * an intent not renewed for that long is fenced by the sweeper and its commit refused.
         */
        @WithDefault("PT1M")
        Duration intentRenewal();

        /**
         * How long a write whose commit lost its registry connection keeps trying to find out whether the commit
         * landed before it reports COMMIT_OUTCOME_UNKNOWN (its files are then left to the sweeper).
         */
        @WithDefault("PT30S")
        Duration commitSettleTimeout();

        /**
         * How often every group version is swept (files of dead writes and of deleted versions removed after
         * {@code sweep-grace}); {@code off} disables the schedule ({@code expireSnapshots} still sweeps).
         */
        @WithDefault("PT1H")
        String sweepInterval();
    }

    interface Ingest {
        /** Most rows one GraphQL write may carry; bigger batches belong on the bulk endpoint. */
        @WithDefault("10000")
        int maxGraphqlRows();

        /** How often a write whose commit lost a race to another writer is rebased and retried. */
        @WithDefault("10")
        int commitAttempts();

        /** Most memory one Arrow record batch of a bulk upload may take (the stream is read a batch at a time). */
        @WithDefault("536870912")
        long maxArrowBatchBytes();

        /** Most bytes of one Arrow message's metadata or of a Parquet footer in an upload (declared sizes are checked first). */
        @WithDefault("16777216")
        int maxArrowMetadataBytes();

        /** Most fields of an uploaded schema, nested fields included. */
        @WithDefault("10000")
        int maxColumns();

        /** Most rows of one Arrow record batch. */
        @WithDefault("16777216")
        long maxArrowBatchRows();

        /**
         * Bulk uploads (writes and training-set requests with Arrow or Parquet bodies) served at once; each takes native
         * memory and scratch disk. Beyond it a request gets 503 with Retry-After.
         */
        @WithDefault("4")
        int maxConcurrentUploads();

        /** Threads uploading data files of bulk writes to the object store, shared by all writes. */
        @WithDefault("4")
        int uploadThreads();
    }

    interface Registry {
        /**
         * Upper bound on how stale a cached definition may be: the safety net behind the change notifications
         * (PostgreSQL LISTEN/NOTIFY), which reach every replica at once.
         */
        @WithDefault("PT30S")
        Duration cacheTtl();

        /**
         * Whether this replica listens for other replicas' registry changes (PostgreSQL only; the embedded default is
         * one process).
         */
        @WithDefault("true")
        boolean listen();

        /** Wait before the change listener connects again after losing its connection (it then drops its whole cache). */
        @WithDefault("PT0.5S")
        Duration listenReconnect();

        /** How often the change listener checks that its connection is alive when no change arrives. */
        @WithDefault("PT5S")
        Duration listenHeartbeat();

        /** Most definitions kept in the lookup cache. */
        @WithDefault("10000")
        long cacheMaxEntries();

        /** Largest page a listing query may ask for. */
        @WithDefault("500")
        int maxPageSize();
    }

    interface ObjectStore {
        /** LOCAL (a directory; the embedded default) or S3 (any S3-compatible endpoint). */
        @WithDefault("S3")
        Kind type();

        /** Root directory of the LOCAL store. */
        @WithDefault("data/objects")
        String localRoot();

        /** S3 endpoint URL. */
        @WithDefault("http://127.0.0.1:9000")
        String s3Endpoint();

        /** S3 region. */
        @WithDefault("us-east-1")
        String s3Region();

        /** S3 access key; anonymous access when absent. */
        java.util.Optional<String> s3AccessKey();

        /** S3 secret key. */
        java.util.Optional<String> s3SecretKey();

        /** Bucket holding Quiver's objects; created at start if missing. */
        @WithDefault("quiver")
        String s3Bucket();

        /**
         * Part size of multipart uploads (S3 requires at least 5 MiB); larger files go up in parts. Data files of a
         * bulk write are about 50-60 MiB, so by default each goes up in one request (faster than parts: measured).
         */
        @WithDefault("67108864")
        long s3PartSize();

        /**
         * How long one S3 call may go without progress (connecting, or no byte sent or received) before it fails and
         * is retried: a server that hangs after a restart must not hold a request for the SDK's five minutes.
         */
        @WithDefault("PT60S")
        Duration s3Timeout();

        enum Kind {
            LOCAL, S3
        }
    }

    interface Demo {
        /** Load the demo catalog at start-up when the registry is empty. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Spark {
        /**
         * The Spark Connect server, {@code sc://host:15002} (parameters follow a slash: {@code sc://host:15002/;use_ssl=true}).
         * Without it, SPARK groups run on DuckDB and say so in their answers' metadata.
         */
        java.util.Optional<String> url();

        /** Bearer token sent to the server (as {@code ;token=}, which makes Spark's client use TLS); kept out of logs and answers. */
        java.util.Optional<String> token();

        /**
         * Rows of work (a training set's entity rows plus the stored feature rows it reads, or a whole-group read's source rows) from which a
         * SPARK group's work goes to Spark: below it, DuckDB on this node is faster (docs/performance.md).
         */
        @WithDefault("10000000")
        long minRows();

        /** Longest a Spark query may run; past it, its operations are interrupted on the server. */
        @WithDefault("PT30M")
        Duration queryTimeout();

        /** Most rows a Spark read of a virtual group may bring back to this service (a training set's answer has one row per entity row). */
        @WithDefault("100000000")
        long maxResultRows();

        /**
         * How Spark reads the lake: OBJECT_STORE (the cluster reads snapshot and lake files itself, by their
         * {@code s3a://} address, with its own credentials; the service fetches nothing for it and stages only a
         * request's entity table in the object store) or LOCAL_COPIES (the service fetches files into its cache and
         * Spark reads those paths: a Spark in local mode on this node).
         */
        @WithDefault("OBJECT_STORE")
        LakeAccess lakeAccess();

        enum LakeAccess {
            OBJECT_STORE,
            LOCAL_COPIES
        }
    }
}
