// The catalog, read-only.
import { ApiError } from '../http.js'
import { PRODUCTS, findProduct } from './catalog.js'

export function productRoutes(app) {
  app.get('/api/products', (c) => c.json(PRODUCTS))
  app.get('/api/products/:id', (c) => {
    const product = findProduct(c.req.param('id'))
    if (!product) throw new ApiError(404, 'PRODUCT_NOT_FOUND', 'no such product')
    return c.json(product)
  })
}
