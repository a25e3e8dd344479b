// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url?: string
      method?: string
      headers?: Record<string, string>
      body?: string | Buffer
      connections?: number
      pipelining?: number
      duration?: number
    }
    interface Result {
      requests: { average: number }
      latency: { p99: number }
      non2xx: number
      errors: number
    }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>
  export default autocannon
}
