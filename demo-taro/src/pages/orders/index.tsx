import { useState } from 'react'
import { View, Text, Button, Image } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { OrderView, STATE_LABELS, buyerMessage, listOrders, yuan } from '../../services/merchant'
import { confirmPaid, withLogin } from '../../services/checkout'
import { productImage } from '../../services/images'
import './index.css'

/** epoch ms or an ISO string → "2025-01-31 14:05" in local time */
function when(createdAt: string | number): string {
  const d = new Date(createdAt)
  if (Number.isNaN(d.getTime())) return ''
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

export default function Orders() {
  const [orders, setOrders] = useState<OrderView[] | null>(null)
  const [error, setError] = useState('')
  const [checking, setChecking] = useState('')

  async function load() {
    try {
      setOrders(await withLogin(listOrders))
      setError('')
    } catch (e) {
      setError(`订单加载失败: ${buyerMessage(e)}`)
    }
  }
  // Also when coming back to this page (e.g. after paying elsewhere): states may have changed.
  useDidShow(() => { load() })

  /** 查询支付结果 for one unpaid order: the merchant asks WeChat Pay, then the list is read again. */
  async function check(order: OrderView) {
    setChecking(order.orderId)
    const outcome = await confirmPaid(order.orderId, [0])
    setChecking('')
    if (outcome.kind === 'paid') Taro.showToast({ title: '已支付', icon: 'success' })
    else Taro.showToast({ title: outcome.kind === 'unconfirmed' ? '尚未收到支付结果' : '订单未支付', icon: 'none' })
    await load()
  }

  return (
    <View className='page'>
      {error && <Text className='error' id='orders-error'>{error}</Text>}
      {!orders && !error && <Text className='muted'>加载中…</Text>}
      {orders?.length === 0 && <Text className='muted' id='orders-empty'>还没有订单</Text>}
      {orders?.map((o) => (
        <View key={o.orderId} className='card order' id={`order-${o.orderId}`}>
          <Image className='thumb' src={productImage(o.productId)} mode='aspectFit' />
          <View className='order-info'>
            <Text className='title'>{o.description}</Text>
            <Text className='muted'>{`${yuan(o.amount)} · 共 ${o.quantity} 件 · ${when(o.createdAt)}`}</Text>
            <Text className='muted'>{`订单号 ${o.orderId}`}</Text>
            <Text className={`order-state state-${o.state}`} id={`state-${o.orderId}`}>{STATE_LABELS[o.state] ?? o.state}</Text>
            {o.state === 'CREATED' && (
              <Button className='order-check' size='mini' id={`check-${o.orderId}`} loading={checking === o.orderId}
                disabled={!!checking} onClick={() => check(o)}>查询支付结果</Button>
            )}
          </View>
        </View>
      ))}
    </View>
  )
}
