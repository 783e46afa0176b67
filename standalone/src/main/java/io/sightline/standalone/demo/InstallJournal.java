package io.sightline.standalone.demo;

import io.sightline.shared.config.DatabaseUrl;
import io.sightline.shared.db.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a demo install has made so far, kept in the demo database itself (schema {@value #SCHEMA}, which only the
 * superuser can read), so that a start after a process killed mid-install can remove exactly that: the org, the
 * installer's API key and, per object of {@code demo/content.json}, that it was asked for (with the time, before the
 * API call) and the id the API answered. The demo database existing while {@code demo_installs} has no row is what
 * marks an install unfinished; the journal is dropped once the install is recorded there.
 */
final class InstallJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstallJournal.class);
  static final String SCHEMA = "installer";

  /** An object the install asked the API for: {@code id} is null when the process died before it could note it. */
  record Entry(String ref, String name, Instant requestedAt, UUID id) {
    String kind() {
      return ref.substring(0, ref.indexOf(':'));
    }
  }

  /** What an unfinished install made: its org (null before any metadata), its API key's id and its objects. */
  record Unfinished(UUID org, UUID apiKeyId, List<Entry> entries) {}

  private final Connection connection;

  private InstallJournal(Connection connection) {
    this.connection = connection;
  }

  /** Starts the journal of an install into {@code org} with the API key {@code apiKeyId} (before that key exists). */
  static InstallJournal begin(EmbeddedDatabase postgres, UUID org, UUID apiKeyId) {
    InstallJournal journal = new InstallJournal(connect(postgres.url(DemoDatabase.DATABASE)));
    journal.update("create schema " + SCHEMA, List.of());
    journal.update("create table " + SCHEMA + ".install (org_id uuid not null, api_key_id uuid not null)", List.of());
    journal.update("create table " + SCHEMA + ".objects (ref text primary key, name text not null,"
        + " requested_at timestamptz not null default clock_timestamp(), id uuid)", List.of());
    journal.update("insert into " + SCHEMA + ".install (org_id, api_key_id) values (?, ?)", List.of(org, apiKeyId));
    return journal;
  }

  /** Notes that the object {@code ref} named {@code name} is about to be created (call before asking the API). */
  void requested(String ref, String name) {
    update("insert into " + SCHEMA + ".objects (ref, name) values (?, ?)", List.of(ref, name));
  }

  /** Notes the id the API answered for {@code ref}. */
  void created(String ref, UUID id) {
    update("update " + SCHEMA + ".objects set id = ? where ref = ?", List.of(id, ref));
  }

  /**
   * Drops the journal once the install is recorded in {@code demo_installs}; a failure is only logged (a journal left
   * behind is never read again: only a demo database without a record is taken for an unfinished install).
   */
  void finish() {
    try {
      update("drop schema " + SCHEMA + " cascade", List.of());
    } catch (IllegalStateException e) {
      LOG.warn("demo: could not drop the install journal: {}", e.getMessage());
    }
  }

  /**
   * What the unfinished install whose leftovers are in {@code postgres} made, from its journal; empty when there is no
   * demo database or it died before starting its journal (then it made no metadata).
   */
  static Optional<Unfinished> read(EmbeddedDatabase postgres) {
    if (!DemoDatabase.exists(postgres)) {
      return Optional.empty();
    }
    try (Connection c = connect(postgres.url(DemoDatabase.DATABASE)); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("select to_regclass('" + SCHEMA + ".objects') is not null")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return Optional.empty();
        }
      }
      UUID org = null;
      UUID key = null;
      try (ResultSet rs = st.executeQuery("select org_id, api_key_id from " + SCHEMA + ".install")) {
        if (rs.next()) {
          org = rs.getObject(1, UUID.class);
          key = rs.getObject(2, UUID.class);
        }
      }
      List<Entry> entries = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("select ref, name, requested_at, id from " + SCHEMA + ".objects order by"
          + " requested_at")) {
        while (rs.next()) {
          entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
              rs.getObject(4, UUID.class)));
        }
      }
      return org == null ? Optional.empty() : Optional.of(new Unfinished(org, key, entries));
    } catch (SQLException e) {
      throw new IllegalStateException("demo install journal: " + e.getMessage(), e);
    }
  }

  private void update(String sql, List<Object> values) {
    try (PreparedStatement st = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.size(); i++) {
        st.setObject(i + 1, values.get(i));
      }
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("demo install journal: " + e.getMessage(), e);
    }
  }

  private static Connection connect(DatabaseUrl url) {
    try {
      return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password().value());
    } catch (SQLException e) {
      throw new IllegalStateException("demo install journal: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // nothing to keep: the journal's rows are committed as they are written
    }
  }
}
