export { startServerProcess, type ServerProcess } from '../../scripts/lib/server-process'
