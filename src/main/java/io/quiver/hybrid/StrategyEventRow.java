package io.quiver.hybrid;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One change of a group's strategy, with its reason and inputs. */
@Entity
@Table(name = "qv_strategy_event")
public class StrategyEventRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "group_id")
    public long groupId;

    public Instant at;

    public String kind;

    @Column(name = "from_mode")
    public String fromMode;

    @Column(name = "to_mode")
    public String toMode;

    public String reason;

    @Column(name = "inputs_json")
    public String inputsJson;
}
