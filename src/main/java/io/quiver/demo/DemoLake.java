package io.quiver.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.TempDirectory;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.model.Layer;
import io.quiver.registry.model.SourceFormat;
import io.quiver.registry.spec.DataSourceSpec;
import io.quiver.registry.spec.MetadataSpec;
import io.quiver.virtual.DataSources;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A small lake for the demo, in the seeds' medallion layout, written once into the object store and registered as
 * data sources: {@code lake/bronze/transactions/} (raw CSV), {@code lake/silver/transactions/date=.../} (cleaned
 * Parquet, partitioned by day) and {@code lake/silver/customers/} (Parquet). The demo's virtual groups read it:
 * about 4,000 card payments of 200 customers over the 60 days before the first start.
 */
@ApplicationScoped
public class DemoLake {

    private static final Logger LOG = Logger.getLogger(DemoLake.class);
    static final String ROOT = "lake/";

    private final ObjectStore objects;
    private final DuckDbEngine engine;
    private final DataSources dataSources;

    public DemoLake(ObjectStore objects, DuckDbEngine engine, DataSources dataSources) {
        this.objects = objects;
        this.engine = engine;
        this.dataSources = dataSources;
    }

    /** Writes the lake unless it is there already, and registers its data sources. */
    void load() {
        if (objects.list(ROOT).isEmpty()) {
            write();
        }
        register("transactions_raw", Layer.BRONZE, ROOT + "bronze/transactions/", SourceFormat.CSV, List.of());
        register("transactions", Layer.SILVER, ROOT + "silver/transactions/", SourceFormat.PARQUET,
                List.of(new MetadataSpec("timePartition", "date")));
        register("customers", Layer.SILVER, ROOT + "silver/customers/", SourceFormat.PARQUET, List.of());
    }

    private void register(String name, Layer layer, String location, SourceFormat format, List<MetadataSpec> options) {
        dataSources.register(new DataSourceSpec(name, layer, location, format, options));
    }

    private void write() {
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(60);
        String transactions = "SELECT 't-' || i AS transaction_id, CAST(1 + hash(i) % 200 AS BIGINT) AS customer_id, 'm-' || (hash(i * 7) % 37) AS merchant_id, "
                + "['grocery', 'travel', 'fuel', 'electronics', 'dining'][CAST(1 + hash(i * 11) % 5 AS INTEGER)] AS category, "
                + "CAST(round(2 + (hash(i * 13) % 25000) / 100.0, 2) AS DECIMAL(12,2)) AS amount, hash(i * 17) % 10 = 0 AS is_international, "
                + "TIMESTAMPTZ '" + start + " 00:00:00+00' + to_seconds(i * 1296) AS transaction_date FROM range(4000) t(i)";
        try (TempDirectory dir = new TempDirectory("quiver-demo-lake"); Connection c = engine.connect(); Statement s = c.createStatement()) {
            Path silver = dir.path().resolve("silver-transactions");
            s.execute("COPY (SELECT *, CAST(transaction_date AS DATE) AS date FROM (" + transactions + ")) TO "
                    + DuckDbTypes.literal(silver.toString()) + " (FORMAT PARQUET, PARTITION_BY (date))");
            Path raw = dir.path().resolve("transactions.csv");
            s.execute("COPY (SELECT transaction_id, customer_id, merchant_id, CAST(amount AS VARCHAR) AS amount, 'EUR' AS currency, "
                    + "strftime(transaction_date, '%Y-%m-%dT%H:%M:%SZ') AS ts FROM (" + transactions + ")) TO "
                    + DuckDbTypes.literal(raw.toString()) + " (FORMAT CSV, HEADER)");
            Path customers = dir.path().resolve("customers.parquet");
            s.execute("COPY (SELECT 1 + i AS customer_id, CAST(18 + hash(i) % 60 AS INTEGER) AS age, "
                    + "['north', 'south', 'east', 'west'][CAST(1 + hash(i * 3) % 4 AS INTEGER)] AS region, DATE '2020-01-01' + CAST(hash(i * 5) % 1500 AS INTEGER) AS signup_date, "
                    + "['bronze', 'silver', 'gold'][CAST(1 + hash(i * 7) % 3 AS INTEGER)] AS segment, TIMESTAMPTZ '" + start + " 00:00:00+00' AS updated_at "
                    + "FROM range(200) t(i)) TO " + DuckDbTypes.literal(customers.toString()) + " (FORMAT PARQUET)");
            try (Stream<Path> files = Files.walk(silver)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    objects.put(ROOT + "silver/transactions/" + silver.relativize(f).toString().replace('\\', '/'), f);
                }
            }
            objects.put(ROOT + "bronze/transactions/transactions.csv", raw);
            objects.put(ROOT + "silver/customers/customers.parquet", customers);
            LOG.infof("demo lake written under %s: bronze and silver transactions, silver customers", ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the demo lake", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
