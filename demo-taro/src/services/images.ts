// Product pictures, drawn by hand for the demo (src/assets/products/*.svg, copied into both builds by config/index.ts,
// so they work offline in H5 and in the mini program). A product without a drawing gets a shopping bag.
const DRAWN = ['soap', 'towel', 'toothbrush']

export const productImage = (productId: string) => `/assets/products/${DRAWN.includes(productId) ? productId : 'other'}.svg`
