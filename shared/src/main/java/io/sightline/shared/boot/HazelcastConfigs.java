package io.sightline.shared.boot;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.sightline.shared.config.ConfigException;
import io.sightline.shared.config.SightlineConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads cluster.xml (packaged, or SIGHTLINE_CLUSTER_CONFIG) and applies the cluster settings over it. */
final class HazelcastConfigs {
  private static final String PACKAGED = "/io/sightline/conf/cluster.xml";

  private HazelcastConfigs() {}

  static Config load(SightlineConfig.Cluster cluster) {
    Config config;
    try (InputStream in = open(cluster.configFile())) {
      config = new XmlConfigBuilder(in).build();
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigException ce) {
        throw ce;
      }
      throw new ConfigException("SIGHTLINE_CLUSTER_CONFIG (cluster.configFile): cannot use "
          + (cluster.configFile().isEmpty() ? "the packaged cluster.xml" : cluster.configFile()) + " (" + e.getMessage()
          + ")");
    }
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    network.setPublicAddress(null);
    network.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }

  private static InputStream open(String file) throws IOException {
    if (file.isEmpty()) {
      InputStream in = HazelcastConfigs.class.getResourceAsStream(PACKAGED);
      if (in == null) {
        throw new IllegalStateException("packaged " + PACKAGED + " is missing from the classpath");
      }
      return in;
    }
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw new ConfigException("SIGHTLINE_CLUSTER_CONFIG (cluster.configFile): " + file + " is not a readable file");
    }
    return Files.newInputStream(path);
  }
}
