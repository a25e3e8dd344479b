// The few globals that exist identically in browsers, workers and Node ≥ 20.
// Core may use these and nothing else from its host.
declare class TextEncoder {
  encode(input?: string): Uint8Array
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean })
  decode(input?: Uint8Array): string
}
