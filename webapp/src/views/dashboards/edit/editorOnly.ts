/**
 * Edit mode is for editors (and admins). A viewer who reaches `/dashboards/:idOrSlug/edit` goes to the view route
 * instead, with a notice in the history state that the view page shows ({@link takeEditNotice}).
 */
import type { RouteLocationRaw } from 'vue-router'

import type { Role } from '@/api/auth'

/** The view page of a dashboard (by path, so that it does not depend on the view route's name). */
export function viewPath(idOrSlug: string): string {
  return `/dashboards/${encodeURIComponent(idOrSlug)}`
}

/** The edit page of a dashboard. */
export function editPath(idOrSlug: string): string {
  return `${viewPath(idOrSlug)}/edit`
}

export const VIEW_ONLY_NOTICE =
  'Only editors can change dashboards: your role in this org is viewer, so this dashboard opened in view mode.'

export function canEditDashboards(role: Role | null | undefined): boolean {
  return role === 'admin' || role === 'editor'
}

/** Where a viewer who asked for edit mode goes: the same dashboard (and query string) in view mode. */
export function viewInstead(
  idOrSlug: string,
  query: Record<string, unknown> = {},
): RouteLocationRaw {
  return {
    path: viewPath(idOrSlug),
    query: query as Record<string, string>,
    state: { dashboardNotice: VIEW_ONLY_NOTICE },
  }
}

/** The notice a redirect left for the page now shown (read once: a reload does not show it again). */
export function takeEditNotice(): string | null {
  const state = (window.history.state ?? {}) as { dashboardNotice?: unknown }
  if (typeof state.dashboardNotice !== 'string') return null
  const notice = state.dashboardNotice
  window.history.replaceState({ ...state, dashboardNotice: undefined }, '')
  return notice
}
