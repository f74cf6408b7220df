// Taro's preset also needs @babel/preset-react installed with the vite compiler: babel-preset-taro 4.2.0 requires it
// for React whatever the compiler (an operator-precedence slip in its framework check).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'vite' }]]
}
