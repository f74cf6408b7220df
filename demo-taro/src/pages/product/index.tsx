import { useEffect, useState } from 'react'
import { View, Text, Button, Image } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Product, buyerMessage, getProduct, yuan } from '../../services/merchant'
import { productImage } from '../../services/images'
import { placeOrder } from '../../services/checkout'
import './index.css'

// Known spec keys get Chinese labels; any other key is shown as the server sent it.
const SPEC_LABELS: Record<string, string> = { size: '规格', silkiness: '丝滑度' }
const MAX_QTY = 99

export default function ProductDetail() {
  const { id = '' } = useRouter().params
  const [product, setProduct] = useState<Product | null>(null)
  const [quantity, setQuantity] = useState(1)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')

  useEffect(() => {
    getProduct(decodeURIComponent(id)).then(setProduct, (e) => setError(`商品加载失败: ${buyerMessage(e)}`))
  }, [id])

  async function buy() {
    if (!product || busy) return
    setBusy(true)
    setError('')
    Taro.showLoading({ title: '下单中…', mask: true })
    try {
      const order = await placeOrder(product.id, quantity)
      Taro.hideLoading()
      await Taro.navigateTo({ url: `/pages/result/index?orderId=${encodeURIComponent(order.orderId)}` })
    } catch (e) {
      Taro.hideLoading()
      setError(`下单失败: ${buyerMessage(e)}`)
      Taro.showModal({ title: '下单失败', content: buyerMessage(e), showCancel: false })
    } finally {
      setBusy(false)
    }
  }

  if (!product) {
    return <View className='page'>{error ? <Text className='error' id='order-error'>{error}</Text> : <Text className='muted'>加载中…</Text>}</View>
  }
  return (
    <View className='page'>
      <View className='card'>
        <Image className='hero' id='product-image' src={productImage(product.id)} mode='aspectFit' />
        <Text className='title' id='product-name'>{product.name}</Text>
        <Text className='muted'>{product.description}</Text>
        {Object.entries(product.specs).map(([key, value]) => (
          <Text key={key} className='spec' id={`spec-${key}`}>{`${SPEC_LABELS[key] ?? key}: ${value}`}</Text>
        ))}
        <Text className='price' id='price'>{yuan(product.price)}</Text>
      </View>
      <View className='card stepper'>
        <Text>数量</Text>
        <View className={`step ${quantity <= 1 ? 'off' : ''}`} id='qty-minus' onClick={() => setQuantity(Math.max(1, quantity - 1))}>-</View>
        <Text className='qty' id='qty'>{quantity}</Text>
        <View className={`step ${quantity >= MAX_QTY ? 'off' : ''}`} id='qty-plus' onClick={() => setQuantity(Math.min(MAX_QTY, quantity + 1))}>+</View>
        <Text className='total' id='total'>{`合计 ${yuan(product.price * quantity)}`}</Text>
      </View>
      <Button className='primary' id='buy' loading={busy} disabled={busy} onClick={buy}>立即下单</Button>
      {error && <Text className='error' id='order-error'>{error}</Text>}
    </View>
  )
}
