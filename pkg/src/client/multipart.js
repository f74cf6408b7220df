// Hand-written multipart/form-data for media uploads: WeChat wants the `meta` part typed application/json,
// which FormData can only send as a file part (filename="blob"); the bytes built here are checked against
// the runtime's own multipart parser (Response.formData) by the tests.
const encoder = new TextEncoder()

const TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', bmp: 'image/bmp', mp4: 'video/mp4', avi: 'video/x-msvideo',
  wmv: 'video/x-ms-wmv', mpeg: 'video/mpeg', mov: 'video/quicktime', mkv: 'video/x-matroska', flv: 'video/x-flv',
  f4v: 'video/x-f4v', m4v: 'video/x-m4v', rmvb: 'application/vnd.rn-realmedia-vbr' }

/** `{ body, contentType }`: the part `meta` (the JSON signed) and the part `file` (WeChat refuses any other name). */
export function multipart(meta, filename, bytes) {
  const boundary = `wechatpay-wasm-${crypto.getRandomValues(new Uint32Array(2)).join('')}`
  const type = TYPES[filename.slice(filename.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream'
  // a quote or line break in the filename would end the header early
  const quoted = filename.replace(/["\r\n\\]/g, '_')
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n${meta}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted}"\r\nContent-Type: ${type}\r\n\r\n`)
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const body = new Uint8Array(head.length + bytes.length + tail.length)
  body.set(head, 0)
  body.set(bytes, head.length)
  body.set(tail, head.length + bytes.length)
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}
