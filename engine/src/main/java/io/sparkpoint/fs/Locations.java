package io.sparkpoint.fs;

/** String operations on locations (URIs or plain paths), with '/' as separator. */
public final class Locations {
  private Locations() {}

  /** The directory part of a location; {@code ""} when there is none. */
  public static String parent(String location) {
    String trimmed = stripTrailingSlash(location);
    int slash = trimmed.lastIndexOf('/');
    if (slash < 0) {
      return "";
    }
    if (slash == 0) {
      return "/";
    }
    String parent = trimmed.substring(0, slash);
    // Keep "scheme://authority/" rather than "scheme:/" or "scheme://authority".
    if (parent.endsWith(":/") || (parent.contains("://") && parent.indexOf('/', parent.indexOf("://") + 3) < 0)) {
      return parent + "/";
    }
    return parent;
  }

  /** The last path component. */
  public static String name(String location) {
    String trimmed = stripTrailingSlash(location);
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  public static String join(String directory, String name) {
    if (directory.isEmpty()) {
      return name;
    }
    return directory.endsWith("/") ? directory + name : directory + "/" + name;
  }

  /** True for {@code /abs/path} and for any location with a scheme. */
  public static boolean isAbsolute(String location) {
    return location.startsWith("/") || hasScheme(location);
  }

  public static boolean hasScheme(String location) {
    int colon = location.indexOf(':');
    int slash = location.indexOf('/');
    return colon > 0 && (slash < 0 || colon < slash);
  }

  private static String stripTrailingSlash(String location) {
    if (location.length() > 1 && location.endsWith("/") && !location.endsWith("://")) {
      return location.substring(0, location.length() - 1);
    }
    return location;
  }
}
