import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'

// API base URLs are not configured here: Taro inlines TARO_APP_* from .env.<mode> (see types/global.d.ts).
export default defineConfig<'vite'>(async (merge) => {
  // Taro empties outputRoot on every build: separate folders let both targets coexist. (It empties every file in
  // it, whatever output.clean.keep says, so WeChat DevTools imports demo-taro/ itself and keeps its
  // project.private.config.json there, beside project.config.json, where no build touches it.)
  const outputRoot = process.env.TARO_ENV === 'h5' ? 'dist-h5' : 'dist'
  const baseConfig: UserConfigExport<'vite'> = {
    projectName: 'demo-taro',
    date: '2025-1-1',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot,
    plugins: [],
    // The product pictures, at /assets/products/ in both builds (services/images.ts). An absolute `from`: the H5
    // build resolves a relative one from src/, the weapp build from here.
    copy: { patterns: [{ from: path.resolve(__dirname, '../src/assets/products'), to: `${outputRoot}/assets/products/` }], options: {} },
    framework: 'react',
    compiler: 'vite',
    mini: {
      postcss: { pxtransform: { enable: true, config: {} }, cssModules: { enable: false } }
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      postcss: { autoprefixer: { enable: true, config: {} }, cssModules: { enable: false } }
    }
  }
  return merge({}, baseConfig)
})
