package io.sightline.shared.connector;

import java.util.Collections;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The connectors on the classpath, by kind. Two connectors claiming one kind is a packaging error. */
public final class Connectors {
  private final Map<String, Connector> byKind;

  private Connectors(Map<String, Connector> byKind) {
    this.byKind = Collections.unmodifiableMap(byKind);
  }

  public static Connectors load() {
    return load(Connectors.class.getClassLoader());
  }

  public static Connectors load(ClassLoader loader) {
    Map<String, Connector> found = new TreeMap<>();
    for (Connector c : ServiceLoader.load(Connector.class, loader)) {
      Connector previous = found.putIfAbsent(c.kind(), c);
      if (previous != null) {
        throw new IllegalStateException("two connectors serve kind '" + c.kind() + "': "
            + previous.getClass().getName() + " and " + c.getClass().getName());
      }
    }
    return new Connectors(found);
  }

  public Map<String, Connector> byKind() {
    return byKind;
  }

  public java.util.Optional<Connector> forKind(String kind) {
    return java.util.Optional.ofNullable(byKind.get(kind));
  }
}
