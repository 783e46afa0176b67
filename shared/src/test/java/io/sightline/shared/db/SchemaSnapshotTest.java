package io.sightline.shared.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.sightline.testkit.TestDatabase;
import io.sightline.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Migrates an empty database and compares the resulting schema with the checked-in snapshot
 * {@code sql/schema-snapshot.txt}, so an accidental schema change (or an edit of a released migration) fails CI.
 * After an intended change: {@code mvn -pl shared test -Dtest=SchemaSnapshotTest -Dsightline.updateSnapshot=true}.
 */
class SchemaSnapshotTest {
  private static final Path SNAPSHOT = projectRoot().resolve("sql/schema-snapshot.txt");

  @Test
  void migratedSchemaMatchesTheSnapshot() throws Exception {
    try (TestDatabase db = TestPostgres.get().createEmptyDatabase("snapshot")) {
      String version = Migrations.migrate(db.url());
      assertThat(version).isEqualTo(Migrations.latestPackagedVersion(db.url()));
      String actual = dump(db);
      if (Boolean.getBoolean("sightline.updateSnapshot")) {
        Files.writeString(SNAPSHOT, actual);
      }
      Path written = Path.of("target", "schema-actual.txt");
      Files.createDirectories(written.getParent());
      Files.writeString(written, actual);
      assertThat(actual)
          .as("schema differs from %s (actual written to %s; diff them, and if the change is intended, add a new"
              + " migration and re-run with -Dsightline.updateSnapshot=true)", SNAPSHOT, written.toAbsolutePath())
          .isEqualTo(Files.readString(SNAPSHOT));
    }
  }

  @Test
  void migratingTwiceChangesNothing() {
    try (TestDatabase db = TestPostgres.get().createEmptyDatabase("twice")) {
      Migrations.migrate(db.url());
      String first = dump(db);
      Migrations.migrate(db.url());
      assertThat(dump(db)).isEqualTo(first);
    }
  }

  static String dump(TestDatabase db) {
    StringBuilder out = new StringBuilder();
    section(out, "tables", db.query("""
        select c.relname as name, coalesce(obj_description(c.oid, 'pg_class'), '') as comment
        from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r','p')
          and c.relname <> 'flyway_schema_history' order by 1"""));
    section(out, "columns", db.query("""
        select table_name, column_name, format_type(a.atttypid, a.atttypmod) as type,
               is_nullable, coalesce(column_default, '') as default, coalesce(is_identity, '') as identity
        from information_schema.columns ic
        join pg_attribute a on a.attrelid = ('public.' || quote_ident(ic.table_name))::regclass
                           and a.attname = ic.column_name
        where table_schema = 'public' and table_name <> 'flyway_schema_history'
        order by table_name, ordinal_position"""));
    section(out, "constraints", db.query("""
        select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
        from pg_constraint where connamespace = 'public'::regnamespace
          and conrelid::regclass::text <> 'flyway_schema_history'
        order by 1, 2"""));
    section(out, "indexes", db.query("""
        select tablename, indexname, indexdef from pg_indexes
        where schemaname = 'public' and tablename <> 'flyway_schema_history' order by 1, 2"""));
    return out.toString();
  }

  private static void section(StringBuilder out, String title, List<Map<String, Object>> rows) {
    out.append("## ").append(title).append('\n');
    for (Map<String, Object> row : rows) {
      out.append(row.values().stream().map(String::valueOf).collect(Collectors.joining(" | "))).append('\n');
    }
    out.append('\n');
  }

  static Path projectRoot() {
    String root = System.getProperty("sightline.project.root");
    Path p = root != null ? Path.of(root) : Path.of("..");
    return p.toAbsolutePath().normalize();
  }
}
