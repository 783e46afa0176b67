package io.sightline.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every leaf command has: the root's API client, stdout and stderr; {@link #call} answers the exit code. */
abstract class Base implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  SightlineCli cli() {
    return (SightlineCli) spec.root().userObject();
  }

  Api api() {
    return cli().api();
  }

  PrintStream out() {
    return cli().out;
  }

  PrintStream err() {
    return cli().err;
  }

  Lookup lookup() {
    return new Lookup(api());
  }

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;
}
