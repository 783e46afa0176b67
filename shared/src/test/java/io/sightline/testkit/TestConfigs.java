package io.sightline.testkit;

import io.sightline.shared.config.ConfigLoader;
import io.sightline.shared.config.SightlineConfig;
import java.util.HashMap;
import java.util.Map;

/** Configurations for in-process test nodes: the class's database, free ports, a throw-away home. */
public final class TestConfigs {
  /** The secret key of every test process (32 bytes, base64). */
  public static final String SECRET_KEY = "c2lnaHRsaW5lLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmc=";

  private TestConfigs() {}

  /**
   * Environment variables that point a process at {@code db} on free ports, without the runner's JIT warm-up;
   * {@code overrides} win.
   */
  public static Map<String, String> env(TestDatabase db, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("SIGHTLINE_DATABASE_URL", db.url().unredacted());
    env.put("SIGHTLINE_HTTP_PORT", Integer.toString(FreePorts.next()));
    env.put("SIGHTLINE_DATABASE_STARTUP_TIMEOUT", "10");
    env.put("SIGHTLINE_SECRET_KEY", SECRET_KEY);
    env.put("SIGHTLINE_RUNNER_WARMUP_ROWS", "0");   // spares the suite's cores; RunnerWarmupTest turns it on
    env.putAll(overrides);
    return env;
  }

  public static SightlineConfig config(TestDatabase db) {
    return config(db, Map.of());
  }

  public static SightlineConfig config(TestDatabase db, Map<String, String> overrides) {
    return ConfigLoader.load(env(db, overrides));
  }
}
