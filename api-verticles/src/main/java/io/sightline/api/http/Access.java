package io.sightline.api.http;

/**
 * Who may call a route: anyone, or a member of the request's org with at least {@code minRole}. This, declared on every
 * {@link RouteSpec}, is the role matrix: the one place that says which role may do what.
 *
 * @param minRole null for public routes
 * @param duringPasswordChange whether a user who must change a one-time password may call it before doing so
 */
public record Access(Role minRole, boolean duringPasswordChange) {
  public static final Access PUBLIC = new Access(null, true);

  public static Access member(Role minRole) {
    return new Access(minRole, false);
  }

  /** Any signed-in member, even one who still has to replace a one-time password. */
  public static Access anyMemberDuringPasswordChange() {
    return new Access(Role.VIEWER, true);
  }

  public boolean isPublic() {
    return minRole == null;
  }
}
