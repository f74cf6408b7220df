// POST /v3/merchant/media/upload: an image as multipart/form-data, a `meta` part (JSON {filename, sha256}) and
// a part named `file`. The request is signed over the meta JSON, not the multipart body; WeChat checks the
// digest, the extension and the size, and answers {media_id}. pay.weixin.qq.com/docs/partner/apis/contracted-merchant-application/upload.html
import { createHash } from 'node:crypto'
import busboy from 'busboy'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { randomId } from '../http.js'
import { WxError } from './v3.js'

const MAX_IMAGE_BYTES = 2 * 1024 * 1024
// The multipart envelope around a 2 MB image: the meta part, boundaries and headers.
const MAX_BODY_BYTES = MAX_IMAGE_BYTES + 16 * 1024
const Meta = z.object({ filename: z.string().min(1).max(128), sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits') })
// The kinds of image WeChat takes, by extension and by their first bytes.
const IMAGES = {
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  jpeg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  png: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  bmp: (b) => b[0] === 0x42 && b[1] === 0x4d,
}

export function mediaRoutes(app, { v3, store, now }) {
  // busboy, not Request.formData(): a client may send the `file` part without a filename (axios re-encoding a
  // form does), and formData() would then decode the image as UTF-8 text. Parts are kept as bytes.
  const form = async (c) => {
    if (c.get('mediaForm')) return c.get('mediaForm')
    const type = c.req.header('content-type') ?? ''
    if (!type.toLowerCase().startsWith('multipart/form-data')) {
      throw new WxError(400, 'PARAM_ERROR', 'Content-Type 须为 multipart/form-data', { location: 'header', field: 'Content-Type' })
    }
    const parts = await multipart(type, Buffer.from(await c.req.arrayBuffer()))
    if (!parts.meta) throw new WxError(400, 'PARAM_ERROR', '输入源“/body/meta”映射到字段“meta”必填性规则校验失败，此字段为必填项', { location: 'body', field: 'meta' })
    c.set('mediaForm', { text: parts.meta.toString('utf8'), file: parts.file })
    return c.get('mediaForm')
  }

  app.post('/v3/merchant/media/upload',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ code: 'PARAM_ERROR', message: `请求体超过 ${MAX_BODY_BYTES} 字节 (图片不超过 2M)` }, 413) }),
    v3.signed(async (c, m) => {
      const { text, file } = await form(c)
      let meta
      try {
        meta = Meta.parse(JSON.parse(text))
      } catch {
        throw new WxError(400, 'PARAM_ERROR', 'meta 须为 JSON {"filename","sha256"}：filename 不超过128字符，sha256 为64位十六进制', { location: 'body', field: 'meta' })
      }
      if (!file) throw new WxError(400, 'PARAM_ERROR', '输入源“/body/file”映射到字段“file”必填性规则校验失败，此字段为必填项', { location: 'body', field: 'file' })
      const bytes = file
      const ext = meta.filename.split('.').pop().toLowerCase()
      if (!(ext in IMAGES) || meta.filename.indexOf('.') < 1) throw new WxError(400, 'PARAM_ERROR', '图片格式不支持，仅支持 JPG、BMP、PNG', { location: 'body', field: 'meta.filename' })
      if (bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) throw new WxError(400, 'PARAM_ERROR', '图片大小须在 0 到 2M 之间', { location: 'body', field: 'file' })
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      if (sha256 !== meta.sha256.toLowerCase()) throw new WxError(400, 'PARAM_ERROR', '文件摘要 sha256 与 meta 中的不一致', { location: 'body', field: 'meta.sha256' })
      if (!IMAGES[ext](bytes)) throw new WxError(400, 'PARAM_ERROR', '文件内容不是声明格式的图片', { location: 'body', field: 'file' })
      const mediaId = randomId(48)
      store.addMedia({ mediaId, mchid: m.mchid, filename: meta.filename, sha256, size: bytes.length, now: now() })
      return { body: { media_id: mediaId } }
    }, { signedText: async (c) => (await form(c)).text }))
}

/** The parts of a multipart body by name, as bytes (the first of each name). */
function multipart(contentType, body) {
  return new Promise((resolve, reject) => {
    let bb
    try {
      bb = busboy({ headers: { 'content-type': contentType }, defCharset: 'latin1', limits: { fieldSize: MAX_BODY_BYTES, fileSize: MAX_BODY_BYTES, parts: 16 } })
    } catch {
      reject(new WxError(400, 'PARAM_ERROR', 'multipart/form-data 格式错误 (no boundary)'))
      return
    }
    const parts = {}
    bb.on('field', (name, value) => {
      parts[name] ??= Buffer.from(value, 'latin1')
    })
    bb.on('file', (name, stream) => {
      const chunks = []
      stream.on('data', (d) => chunks.push(d))
      stream.on('end', () => {
        parts[name] ??= Buffer.concat(chunks)
      })
    })
    bb.on('close', () => resolve(parts))
    bb.on('error', () => reject(new WxError(400, 'PARAM_ERROR', 'multipart/form-data 格式错误 (the multipart body cannot be read)')))
    bb.end(body)
  })
}
