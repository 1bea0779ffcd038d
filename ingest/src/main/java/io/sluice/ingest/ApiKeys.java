package io.sluice.ingest;

import io.sluice.schemas.event.RawEventValidator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * API keys and the tenants each may write. Keys are held only as SHA-256 digests, so neither a heap
 * dump nor a timing difference in the lookup reveals a key. Error messages name an entry by its
 * position, never by the key.
 */
public final class ApiKeys {

  /** Shortest accepted key, so that a guessable key cannot be configured by accident. */
  public static final int MIN_KEY_LENGTH = 16;

  private static final String ALL_TENANTS = "*";

  private final Map<String, Grant> grantsByDigest;

  private ApiKeys(Map<String, Grant> grantsByDigest) {
    this.grantsByDigest = Map.copyOf(grantsByDigest);
  }

  /** What one key may do. */
  public record Grant(int entry, Set<String> tenants, boolean allTenants) {
    public Grant {
      tenants = Set.copyOf(tenants);
    }

    public boolean allows(String tenant) {
      return allTenants || tenants.contains(tenant);
    }
  }

  /** No keys: every request may write every tenant. */
  public static ApiKeys open() {
    return new ApiKeys(Map.of());
  }

  /**
   * Parses {@code KEY=tenant-a|tenant-b,KEY2=*}.
   *
   * @param configKey the setting being parsed, named in errors
   */
  public static ApiKeys parse(String configKey, String value) {
    Map<String, Grant> grants = new HashMap<>();
    if (value.isBlank()) {
      return open();
    }
    String[] entries = value.split(",", -1);
    for (int i = 0; i < entries.length; i++) {
      int entry = i + 1;
      String text = entries[i].strip();
      int equals = text.indexOf('=');
      if (equals < 0) {
        throw invalid(configKey, entry, "must be KEY=tenant[|tenant...] or KEY=*");
      }
      String key = text.substring(0, equals).strip();
      String tenantList = text.substring(equals + 1).strip();
      if (key.length() < MIN_KEY_LENGTH || key.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        throw invalid(
            configKey,
            entry,
            "the key must be at least "
                + MIN_KEY_LENGTH
                + " printable ASCII characters without spaces");
      }
      Grant grant = grant(configKey, entry, tenantList);
      if (grants.put(digest(key), grant) != null) {
        throw invalid(configKey, entry, "repeats the key of an earlier entry");
      }
    }
    return new ApiKeys(grants);
  }

  private static Grant grant(String configKey, int entry, String tenantList) {
    if (tenantList.equals(ALL_TENANTS)) {
      return new Grant(entry, Set.of(), true);
    }
    Set<String> tenants = new java.util.TreeSet<>();
    for (String tenant : tenantList.split("\\|", -1)) {
      String name = tenant.strip();
      if (!RawEventValidator.NAME.matcher(name).matches()) {
        throw invalid(
            configKey,
            entry,
            "tenant \""
                + name
                + "\" must match "
                + RawEventValidator.NAME.pattern()
                + " (or use *)");
      }
      tenants.add(name);
    }
    return new Grant(entry, tenants, false);
  }

  private static ConfigException invalid(String configKey, int entry, String problem) {
    // The value is a secret: name the entry, never echo it.
    return new ConfigException(configKey + ": entry " + entry + " " + problem);
  }

  /** True when no key is configured and the service accepts anonymous writes. */
  public boolean isOpen() {
    return grantsByDigest.isEmpty();
  }

  /** Number of configured keys. */
  public int size() {
    return grantsByDigest.size();
  }

  /** The grant of a presented key, if it is one of ours. */
  public Optional<Grant> lookup(String presentedKey) {
    return Optional.ofNullable(grantsByDigest.get(digest(presentedKey)));
  }

  private static String digest(String key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
