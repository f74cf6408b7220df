import { useEffect, useState } from 'react'
import { View, Text } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Product, describeError, listProducts, yuan } from '../../services/merchant'

export default function ProductList() {
  const [products, setProducts] = useState<Product[] | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    listProducts().then(setProducts, (e) => setError(`商品加载失败: ${describeError(e)}`))
  }, [])

  return (
    <View className='page'>
      {error && <Text className='error' id='list-error'>{error}</Text>}
      {!products && !error && <Text className='muted'>加载中…</Text>}
      {products?.map((p) => (
        <View key={p.id} className='card' id={`product-${p.id}`}
          onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${encodeURIComponent(p.id)}` })}>
          <Text className='title'>{p.name}</Text>
          <Text className='muted'>{p.description}</Text>
          <Text className='price'>{yuan(p.price)}</Text>
        </View>
      ))}
    </View>
  )
}
