// The `wechatpay-wasm/wechatpay_wasm_bg.wasm` subpath for `require` (bundlers for Workers that accept CommonJS):
// as wechatpay_wasm_bg.wasm.d.ts beside this file.

/** The package's compiled WebAssembly module. */
declare const wasmModule: WebAssembly.Module
export = wasmModule
