package io.sightline.shared.result;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A {@link ResultStore} in a local directory (the standalone mode without S3): chunk {@code n} of a result is the file
 * {@code <dir>/<location>/<n>.jsonl.zst}. Writes go to a temporary file that is then moved into place, so a reader never
 * sees half a chunk. All I/O goes through the Vert.x {@link FileSystem} (worker threads), never the event loop.
 */
public final class LocalDirectoryStore implements ResultStore {
  public static final String KIND = "local";
  private static final Pattern SAFE_LOCATION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final FileSystem fs;
  private final Path directory;

  public LocalDirectoryStore(Vertx vertx, Path directory) {
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
    return fs.readFile(file).recover(err -> {
      boolean missing = isMissing(err);
      return Future.failedFuture(new ResultStoreException("local result store: " + (missing
          ? "chunk " + chunkNo + " of result " + location + " not found at " + file
          : "cannot read " + file + ": " + reason(err)), err, missing));
    });
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

  private Path resultDirectory(String location) {
    if (location == null || !SAFE_LOCATION.matcher(location).matches() || location.contains("..")) {
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
