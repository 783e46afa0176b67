package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.FileSystemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A {@link ResultStore} in a local directory (the standalone mode without S3): chunk {@code n} of a result is the file
 * {@code <dir>/<location>/<n>.jsonl.zst}. Writes go to a temporary file that is then moved into place, so a reader never
 * sees half a chunk. All I/O goes through the Vert.x {@link FileSystem} or {@code executeBlocking} (worker threads),
 * never the event loop.
 */
public final class LocalDirectoryStore implements ResultStore {
  public static final String KIND = "local";
  private static final Pattern SAFE_LOCATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final Vertx vertx;
  private final FileSystem fs;
  private final Path directory;

  public LocalDirectoryStore(Vertx vertx, Path directory) {
    this.vertx = vertx;
    this.fs = vertx.fileSystem();
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** The file of one chunk. */
  public Path chunkPath(String location, int chunkNo) {
    return resultDirectory(location).resolve(ObjectNames.chunkFile(chunkNo));
  }

  @Override
  public Future<Void> put(String location, int chunkNo, Buffer compressed) {
    Path dir;
    String target;
    try {
      dir = resultDirectory(location);
      target = dir.resolve(ObjectNames.chunkFile(chunkNo)).toString();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String temp = target + ".tmp-" + UUID.randomUUID();
    return fs.mkdirs(dir.toString())
        .compose(v -> fs.writeFile(temp, compressed))
        .compose(v -> fs.move(temp, target, new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .recover(err -> fs.delete(temp).transform(ignored -> Future.<Void>failedFuture(
            new ResultStoreException("local result store: cannot write " + target + ": " + reason(err), err))));
  }

  @Override
  public Future<Buffer> get(String location, int chunkNo) {
    String file;
    try {
      file = chunkPath(location, chunkNo).toString();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return fs.readFile(file).recover(err -> Future.failedFuture(readFailure(location, chunkNo, file, err)));
  }

  /** A positioned read of the range: one task on a worker thread instead of reading the whole file. */
  @Override
  public Future<Buffer> get(String location, int chunkNo, long offset, int length) {
    Path file;
    try {
      file = chunkPath(location, chunkNo);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (offset < 0 || length < 1) {
      return Future.failedFuture(new IllegalArgumentException("bad range " + offset + "+" + length));
    }
    return vertx.executeBlocking(() -> {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer into = ByteBuffer.allocate(length);
        while (into.hasRemaining() && channel.read(into, offset + into.position()) >= 0) {
          // until the range is read or the file ends
        }
        byte[] bytes = into.position() == length ? into.array() : Arrays.copyOf(into.array(), into.position());
        return Buffer.buffer(bytes);
      }
    }, false).recover(err -> Future.failedFuture(readFailure(location, chunkNo, file.toString(), err)));
  }

  private static ResultStoreException readFailure(String location, int chunkNo, String file, Throwable err) {
    boolean missing = isMissing(err);
    return new ResultStoreException("local result store: " + (missing
        ? "chunk " + chunkNo + " of result " + location + " not found at " + file
        : "cannot read " + file + ": " + reason(err)), err, missing);
  }

  @Override
  public Future<Void> delete(String location, int chunkCount) {
    String dir;
    try {
      dir = resultDirectory(location).toString();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // the whole directory: also removes temporary files of writes that never completed
    return fs.deleteRecursive(dir).recover(err -> isMissing(err) ? Future.succeededFuture()
        : Future.failedFuture(new ResultStoreException("local result store: cannot delete " + dir + ": "
            + reason(err), err)));
  }

  /**
   * The sub-directories of the store's directory with a location's name (not symbolic links, not files), read through
   * one open directory stream a page at a time on a worker thread.
   */
  @Override
  public Future<Void> listLocations(int pageSize, Function<List<String>, Future<Void>> eachPage) {
    if (pageSize < 1) {
      return Future.failedFuture(new IllegalArgumentException("pageSize must be positive, not " + pageSize));
    }
    return blocking("list " + directory, () -> Files.isDirectory(directory) ? Files.newDirectoryStream(directory)
        : null).compose(stream -> stream == null ? Future.<Void>succeededFuture()
            : pages(stream.iterator(), pageSize, eachPage).eventually(() -> blocking("close " + directory, () -> {
              stream.close();
              return null;
            }).otherwiseEmpty()));
  }

  private Future<Void> pages(Iterator<Path> entries, int pageSize, Function<List<String>, Future<Void>> eachPage) {
    return blocking("list " + directory, () -> {
      List<String> page = new ArrayList<>(Math.min(pageSize, 1024));
      while (page.size() < pageSize && entries.hasNext()) {
        Path entry = entries.next();
        String name = entry.getFileName().toString();
        if (isLocation(name) && Files.isDirectory(entry, NO_FOLLOW)) {
          page.add(name);
        }
      }
      return page;
    }).compose(page -> page.isEmpty() ? Future.<Void>succeededFuture()
        : Future.<Void>succeededFuture().compose(v -> eachPage.apply(page))
            .compose(v -> pages(entries, pageSize, eachPage)));
  }

  /**
   * Deletes the result's directory if neither it nor any entry in it (chunks, temporary files of writes under way)
   * was modified at or after {@code cutoff}.
   */
  @Override
  public Future<Boolean> deleteAllIfUnmodifiedSince(String location, Instant cutoff) {
    Path dir;
    try {
      dir = resultDirectory(location);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return blocking("inspect " + dir, () -> unmodifiedSince(dir, cutoff))
        .compose(idle -> idle ? delete(location, 0).map(true) : Future.succeededFuture(false));
  }

  /** False when {@code dir} is missing (already deleted) or it or an entry was modified at or after the cutoff. */
  private static boolean unmodifiedSince(Path dir, Instant cutoff) throws IOException {
    try {
      if (!modifiedBefore(dir, cutoff)) {
        return false;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (!modifiedBefore(entry, cutoff)) {
            return false;
          }
        }
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;  // deleted meanwhile (by another node's sweep)
    }
  }

  private static boolean modifiedBefore(Path path, Instant cutoff) throws IOException {
    return Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW).lastModifiedTime().toInstant()
        .isBefore(cutoff);
  }

  /** Runs file system work on a worker thread; failures become {@link ResultStoreException}s naming {@code what}. */
  private <T> Future<T> blocking(String what, Callable<T> work) {
    return vertx.executeBlocking(() -> {
      try {
        return work.call();
      } catch (DirectoryIteratorException e) {
        throw e.getCause();  // the IOException of reading the next entry
      }
    }, false).recover(err -> Future.failedFuture(new ResultStoreException("local result store: cannot " + what
        + ": " + reason(err), err)));
  }

  private static boolean isLocation(String name) {
    return SAFE_LOCATION.matcher(name).matches() && !name.contains("..");
  }

  private Path resultDirectory(String location) {
    if (location == null || !isLocation(location)) {
      throw new IllegalArgumentException("not a result location: '" + location + "'");
    }
    return directory.resolve(location);
  }

  private static boolean isMissing(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Throwable err) {
    Throwable t = err instanceof FileSystemException && err.getCause() != null ? err.getCause() : err;
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  @Override
  public String toString() {
    return "LocalDirectoryStore[" + directory + "]";
  }
}
