package io.sightline.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh, migrated database, injected as a {@link TestDatabase} parameter (constructor,
 * {@code @BeforeAll}, {@code @BeforeEach} or test method) and dropped after the class.
 * Use with {@code @ExtendWith(PostgresExtension.class)}.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    database(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return database(context);
  }

  private static TestDatabase database(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    String hint = classContext.getRequiredTestClass().getSimpleName();
    return classContext.getStore(NS).getOrComputeIfAbsent("database",
        k -> TestPostgres.get().createDatabase(hint), TestDatabase.class);
  }
}
