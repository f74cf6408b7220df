// Compiles the weapp output with WeChat's own WXML/WXSS compilers (wcc/wcsc, Linux binaries in miniprogram-compiler).
// Usage: node e2e/weapp-compile.mjs [dist]
import fs from 'node:fs'
import path from 'node:path'
import compiler from 'miniprogram-compiler'
import { check, finish } from './check.mjs'

const dist = path.resolve(process.argv[2] || 'dist')
const { pages } = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8'))

function attempt(name, fn) {
  try {
    return fn()
  } catch (e) {
    check(name, false, String(e).slice(0, 600))
    return null
  }
}

const wxml = attempt('wcc compiles all WXML', () => compiler.wxmlToJs(dist))
if (wxml) {
  check('wcc compiles all WXML', true, `${wxml.length} chars`)
  // The generated code expects the mini-program view layer's globals.
  Object.assign(globalThis, { window: globalThis, __wxAppCode__: {}, __vd_version_info__: {} })
  const $gwx = attempt('compiled WXML evaluates', () => new Function('global', wxml)({}))
  for (const page of $gwx ? pages : []) {
    check(`render function for ${page}.wxml`, typeof $gwx(`${page}.wxml`) === 'function')
  }
}
const wxss = attempt('wcsc compiles all WXSS', () => compiler.wxssToJs(dist))
if (wxss) check('wcsc compiles all WXSS', true, `${wxss.length} chars`)
finish()
