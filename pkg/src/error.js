// WechatPayError: the one error class of the package. The wasm core throws it directly (the class is
// registered with the core at start-up); the facade throws it for JS-only checks (types, sizes), and with
// `{ cause }` when it wraps an error of the host (a key the host's crypto refused).

/** An error of this package; `code` is a stable `ERR_*` string (see the README's table). */
export class WechatPayError extends Error {
  constructor(code, message, context, options) {
    super(message, options)
    this.name = 'WechatPayError'
    this.code = code
    if (context) Object.assign(this, context)
  }
}

/** Whether `e` is a WechatPayError, also across realms and between the CJS and ESM copies of the package. */
export function isWechatPayError(e) {
  // not `instanceof Error`: an error from another realm (a vm context, an iframe) has another Error
  return e instanceof WechatPayError || (typeof e === 'object' && e !== null && e.name === 'WechatPayError' &&
    typeof e.code === 'string' && e.code.startsWith('ERR_'))
}

export const invalid = (field, problem, options) =>
  new WechatPayError('ERR_INVALID_INPUT', `invalid ${field}: ${problem}`, { field }, options)
