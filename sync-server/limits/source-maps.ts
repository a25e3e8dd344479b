// Source maps give away the original sources and comments. They are built (hidden: no
// sourceMappingURL in the bundles) for debugging, and served only when SERVE_SOURCE_MAPS=1.

export function isSourceMap(pathname: string): boolean {
  return pathname.toLowerCase().endsWith('.map')
}

/** Whether the static handler may serve this path at all. */
export function staticPathAllowed(pathname: string, serveSourceMaps: boolean): boolean {
  return serveSourceMaps || !isSourceMap(pathname)
}
