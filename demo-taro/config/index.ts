import { defineConfig, type UserConfigExport } from '@tarojs/cli'

// API base URLs are not configured here: Taro inlines TARO_APP_* from .env.<mode> (see types/global.d.ts).
export default defineConfig<'vite'>(async (merge) => {
  const baseConfig: UserConfigExport<'vite'> = {
    projectName: 'demo-taro',
    date: '2025-1-1',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // Taro empties outputRoot on every build: separate folders let both targets coexist.
    outputRoot: process.env.TARO_ENV === 'h5' ? 'dist-h5' : 'dist',
    plugins: [],
    copy: { patterns: [], options: {} },
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
