// Taro's preset also needs @babel/preset-react installed with the vite compiler (see shared/docs/taro.md, pitfall 2).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'vite' }]]
}
