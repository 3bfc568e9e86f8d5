// ncc ships no types; this is the part of its API that scripts/bundle.ts uses (see its readme, "Programmatically").
declare module '@vercel/ncc' {
  interface NccOptions {
    esm?: boolean
    minify?: boolean
    filename?: string
    cache?: boolean
    quiet?: boolean
  }
  interface NccOutput {
    code: string
    assets: Record<string, { source: string | Buffer; permissions?: number }>
    /** webpack's Stats. */
    stats: { toJson(): unknown }
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccOutput>
}
