// The `wechatpay-wasm/wechatpay_wasm_bg.wasm` subpath: the package's compiled code, for hosts and bundlers that
// load `.wasm` files themselves. Importing it gives a compiled module in Cloudflare Workers (wrangler, and
// esbuild or miniflare set up for Workers) and through `import source` (Deno; Node with
// --experimental-wasm-modules). Its imports are the package's own glue: use the module through the package.

/** The package's compiled WebAssembly module. */
declare const wasmModule: WebAssembly.Module
export default wasmModule
