// The shop's catalog. Prices are integers in fen (1 = ¥0.01); the server prices every order from here.
export const PRODUCTS = [
  {
    id: 'soap',
    name: '肥皂',
    description: '一块手工香皂,淡淡的柠檬香。',
    price: 800,
    specs: { size: '100 g, 8 × 5 × 2.5 cm', silkiness: '丝滑' },
  },
  {
    id: 'towel',
    name: '毛巾',
    description: '纯棉毛巾,吸水不掉毛。',
    price: 1990,
    specs: { size: '34 × 76 cm', material: '100% 棉' },
  },
  {
    id: 'toothbrush',
    name: '牙刷',
    description: '软毛牙刷,两支装。',
    price: 1250,
    specs: { bristles: '软毛', count: '2 支' },
  },
]

export const findProduct = (id) => PRODUCTS.find((p) => p.id === id)

/** The most of one product in one order: enough for a real basket, small enough that no total overflows. */
export const MAX_QUANTITY = 99
