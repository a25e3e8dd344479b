// Hash routes (#/cases/…): they work offline from the service worker's single index.html.
import { useEffect, useState } from 'preact/hooks'

export type Route =
  | { page: 'cases' }
  | { page: 'case'; id: string }
  | { page: 'new'; residentId?: string }
  | { page: 'residents' }
  | { page: 'resident'; id: string }
  | { page: 'settings' }
  | { page: 'admin'; tab: string }
  | { page: 'home' }
  | { page: 'queue' }
  | { page: 'review'; id: string }
  | { page: 'supervision' }
  | { page: 'metrics' }
  | { page: 'tasks' }
  | { page: 'deliver'; id: string }

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?')
  const parts = path.split('/').filter(Boolean)
  const params = new URLSearchParams(query)
  switch (parts[0]) {
    case 'case':
      return parts[1] ? { page: 'case', id: decodeURIComponent(parts[1]) } : { page: 'cases' }
    case 'new':
      return params.get('resident') ? { page: 'new', residentId: params.get('resident')! } : { page: 'new' }
    case 'residents':
      return parts[1] ? { page: 'resident', id: decodeURIComponent(parts[1]) } : { page: 'residents' }
    case 'settings':
      return { page: 'settings' }
    case 'admin':
      return { page: 'admin', tab: parts[1] ?? 'org' }
    case 'cases':
      return { page: 'cases' }
    case 'queue':
    case 'supervision':
    case 'metrics':
    case 'tasks':
      return { page: parts[0] }
    case 'review':
    case 'deliver':
      return parts[1] ? { page: parts[0], id: decodeURIComponent(parts[1]) } : { page: 'home' }
    default:
      return { page: 'home' }
  }
}

export function navigate(path: string): void {
  location.hash = path
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash))
    window.addEventListener('hashchange', on)
    return () => window.removeEventListener('hashchange', on)
  }, [])
  return route
}
