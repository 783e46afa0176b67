import { createRouter, createWebHistory } from 'vue-router'

import HomeView from '@/views/home/HomeView.vue'

import { CHANGE_PASSWORD, installSessionGuard, SIGN_IN, UNAVAILABLE } from './sessionGuard'

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the browser tab before " · Sightline". */
    title?: string
    /** Open without signing in. */
    public?: boolean
    /** Shown without the app shell (sign-in, password change). */
    bare?: boolean
    /** With `?kiosk`, shown without the app shell (a dashboard on a wall screen). */
    kiosk?: boolean
  }
}

// Areas other than home load on first visit, keeping the entry bundle to the shell.
const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/', name: 'home', component: HomeView, meta: { title: 'Overview' } },
    {
      path: '/sign-in',
      name: SIGN_IN,
      component: () => import('@/views/sign-in/SignInView.vue'),
      meta: { title: 'Sign in', public: true, bare: true },
    },
    {
      path: '/unavailable',
      name: UNAVAILABLE,
      component: () => import('@/views/unavailable/UnavailableView.vue'),
      meta: { title: 'Server unavailable', public: true, bare: true },
    },
    {
      path: '/change-password',
      name: CHANGE_PASSWORD,
      component: () => import('@/views/sign-in/ChangePasswordView.vue'),
      meta: { title: 'Choose a new password', bare: true },
    },
    {
      path: '/queries',
      name: 'queries',
      component: () => import('@/views/queries/QueriesView.vue'),
      meta: { title: 'Queries' },
    },
    {
      path: '/queries/new',
      name: 'query-new',
      component: () => import('@/views/queries/QueryWorkbenchView.vue'),
      meta: { title: 'New query' },
    },
    {
      path: '/queries/:id',
      name: 'query',
      component: () => import('@/views/queries/QueryWorkbenchView.vue'),
      props: true,
      meta: { title: 'Query' },
    },
    {
      path: '/dashboards',
      name: 'dashboards',
      component: () => import('@/views/dashboards/DashboardsView.vue'),
      meta: { title: 'Dashboards' },
    },
    {
      path: '/dashboards/:idOrSlug',
      name: 'dashboard',
      component: () => import('@/views/dashboards/DashboardView.vue'),
      props: true,
      meta: { title: 'Dashboard', kiosk: true },
    },
    {
      path: '/dashboards/:idOrSlug/edit',
      name: 'dashboard-edit',
      component: () => import('@/views/dashboards/edit/DashboardEditView.vue'),
      props: true,
      meta: { title: 'Edit dashboard' },
    },
    {
      path: '/schedules',
      name: 'schedules',
      component: () => import('@/views/schedules/SchedulesView.vue'),
      meta: { title: 'Schedules' },
    },
    {
      path: '/schedules/:id',
      name: 'schedule',
      component: () => import('@/views/schedules/ScheduleView.vue'),
      props: true,
      meta: { title: 'Schedule' },
    },
    {
      path: '/runs',
      name: 'runs',
      component: () => import('@/views/runs/RunsView.vue'),
      meta: { title: 'Runs' },
    },
    {
      path: '/runs/:id',
      name: 'run',
      component: () => import('@/views/runs/RunDetailView.vue'),
      props: true,
      meta: { title: 'Run' },
    },
    {
      path: '/datasources',
      name: 'datasources',
      component: () => import('@/views/datasources/DatasourcesView.vue'),
      meta: { title: 'Datasources' },
    },
    {
      path: '/datasources/new',
      name: 'datasource-new',
      component: () => import('@/views/datasources/DatasourceFormView.vue'),
      meta: { title: 'New datasource' },
    },
    {
      path: '/datasources/:id/edit',
      name: 'datasource-edit',
      component: () => import('@/views/datasources/DatasourceFormView.vue'),
      props: true,
      meta: { title: 'Edit datasource' },
    },
    {
      path: '/datasources/:id/schema',
      name: 'datasource-schema',
      component: () => import('@/views/datasources/DatasourceSchemaView.vue'),
      props: true,
      meta: { title: 'Datasource schema' },
    },
    {
      path: '/admin',
      component: () => import('@/views/admin/AdminView.vue'),
      meta: { title: 'Admin' },
      children: [
        { path: '', name: 'admin', redirect: { name: 'admin-users' } },
        {
          path: 'users',
          name: 'admin-users',
          component: () => import('@/views/admin/AdminUsersView.vue'),
          meta: { title: 'Users · Admin' },
        },
        {
          path: 'api-keys',
          name: 'admin-api-keys',
          component: () => import('@/views/admin/AdminApiKeysView.vue'),
          meta: { title: 'API keys · Admin' },
        },
        {
          path: 'audit',
          name: 'admin-audit',
          component: () => import('@/views/admin/AdminAuditView.vue'),
          meta: { title: 'Audit · Admin' },
        },
        {
          path: 'demo',
          name: 'admin-demo',
          component: () => import('@/views/admin/AdminDemoView.vue'),
          meta: { title: 'Demo · Admin' },
        },
      ],
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('@/views/not-found/NotFoundView.vue'),
      meta: { title: 'Page not found' },
    },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

installSessionGuard(router)

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · Sightline` : 'Sightline'
})

export default router
