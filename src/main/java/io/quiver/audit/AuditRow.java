package io.quiver.audit;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One audited action; rows are only ever inserted. */
@Entity
@Table(name = "qv_audit")
public class AuditRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public Instant at;

    public String principal;

    @Column(name = "key_name")
    public String keyName;

    public String address;

    @Column(name = "request_id")
    public String requestId;

    public String action;

    public String target;

    public String outcome;

    public String detail;
}
