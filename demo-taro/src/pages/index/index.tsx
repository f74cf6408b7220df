import { useEffect, useState } from 'react'
import { View, Text, Image } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Product, buyerMessage, listProducts, yuan } from '../../services/merchant'
import { productImage } from '../../services/images'
import './index.css'

export default function ProductList() {
  const [products, setProducts] = useState<Product[] | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    listProducts().then(setProducts, (e) => setError(`商品加载失败: ${buyerMessage(e)}`))
  }, [])

  return (
    <View className='page'>
      <View className='card my-orders' id='my-orders' onClick={() => Taro.navigateTo({ url: '/pages/orders/index' })}>
        <Text>我的订单</Text>
        <Text className='my-orders-arrow'>{'>'}</Text>
      </View>
      {error && <Text className='error' id='list-error'>{error}</Text>}
      {!products && !error && <Text className='muted'>加载中…</Text>}
      {products?.map((p) => (
        <View key={p.id} className='card product' id={`product-${p.id}`}
          onClick={() => Taro.navigateTo({ url: `/pages/product/index?id=${encodeURIComponent(p.id)}` })}>
          <Image className='thumb' src={productImage(p.id)} mode='aspectFit' />
          <View className='product-info'>
            <Text className='title'>{p.name}</Text>
            <Text className='muted'>{p.description}</Text>
            <Text className='price'>{yuan(p.price)}</Text>
          </View>
        </View>
      ))}
    </View>
  )
}
