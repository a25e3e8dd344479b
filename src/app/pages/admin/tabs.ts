// The administration tabs, apart from the screens themselves so the app shell can route to them
// without loading the administration chunk.
export const AdminTabs = ['org', 'accounts', 'devices', 'catalogue', 'calendar', 'audit'] as const
export type AdminTab = (typeof AdminTabs)[number]

export function isAdminTab(s: string | undefined): s is AdminTab {
  return (AdminTabs as readonly string[]).includes(s ?? '')
}
