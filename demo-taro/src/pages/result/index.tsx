import { useEffect, useState } from 'react'
import { View, Text, Button } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { yuan } from '../../services/merchant'
import { PayOutcome, createdOrder, pay } from '../../services/checkout'

type Phase = 'paying' | 'paid' | 'cancelled' | 'failed'

export default function PayResult() {
  const orderId = decodeURIComponent(useRouter().params.orderId ?? '')
  const order = createdOrder(orderId)
  const [phase, setPhase] = useState<Phase>('paying')
  const [status, setStatus] = useState('')

  async function startPayment() {
    if (!order) return
    setPhase('paying')
    setStatus(`等待支付 订单号 ${orderId}`)
    let loading = false
    const outcome = await pay(order, () => {
      loading = true
      setStatus(`确认支付结果 订单号 ${orderId}`)
      Taro.showLoading({ title: '确认支付结果…', mask: true })
    })
    if (loading) Taro.hideLoading()
    await show(outcome)
  }

  async function show(outcome: PayOutcome) {
    setPhase(outcome.kind)
    if (outcome.kind === 'paid') {
      setStatus(`支付成功 订单号 ${orderId}`)
      await Taro.showModal({ title: '支付成功', content: `订单号 ${orderId}`, showCancel: false })
    } else if (outcome.kind === 'cancelled') {
      setStatus(`支付已取消 订单号 ${orderId},订单未支付`)
      const { confirm } = await Taro.showModal({ title: '支付已取消', content: '订单未支付,是否重新支付?', confirmText: '重新支付', cancelText: '暂不支付' })
      if (confirm) await startPayment()
    } else {
      setStatus(`支付失败,请重新尝试 订单号 ${orderId}: ${outcome.reason}`)
      await Taro.showModal({ title: '支付失败,请重新尝试', content: outcome.reason, showCancel: false })
    }
  }

  useEffect(() => { startPayment() }, [])

  if (!order) {
    // payParams live only in memory (e.g. the H5 page was reloaded): the order has to be placed again.
    return <View className='page'><Text className='error' id='status'>{`订单 ${orderId} 无法继续支付,请返回重新下单`}</Text></View>
  }
  return (
    <View className='page'>
      <View className='card'>
        <Text className='title'>{order.description}</Text>
        <Text className='muted'>{`订单号 ${orderId}`}</Text>
        <Text className='price' id='amount'>{yuan(order.amount)}</Text>
      </View>
      <View className='card'><Text id='status'>{status}</Text></View>
      {(phase === 'cancelled' || phase === 'failed') && <Button className='primary' id='retry' onClick={startPayment}>重新支付</Button>}
      <Button id='home' onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>返回商品列表</Button>
    </View>
  )
}
