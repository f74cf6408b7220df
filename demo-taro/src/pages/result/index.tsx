import { useEffect, useState } from 'react'
import { View, Text, Button } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { yuan } from '../../services/merchant'
import { PayOutcome, confirmPaid, createdOrder, pay } from '../../services/checkout'

type Phase = 'paying' | 'checking' | PayOutcome['kind']

// WeChat DevTools with the tourist appid cannot pay: say how to go on (README: "WeChat DevTools").
const IN_DEVTOOLS = process.env.TARO_ENV === 'weapp' && Taro.getSystemInfoSync().platform === 'devtools'

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

  /** 查询支付结果: asks the merchant again (it queries WeChat Pay for an order it has not seen paid). */
  async function checkAgain() {
    setPhase('checking')
    setStatus(`查询支付结果 订单号 ${orderId}`)
    Taro.showLoading({ title: '查询支付结果…', mask: true })
    const outcome = await confirmPaid(orderId)
    Taro.hideLoading()
    // Still nothing after a failed payment: it stays a failed payment, which can be retried.
    await show(outcome.kind === 'unconfirmed' && phase === 'failed' ? { kind: 'failed', reason: outcome.reason } : outcome)
  }

  /** WeChat DevTools: the five requestPayment params as JSON, for the simulator's cashier page. */
  async function copyPayParams() {
    if (!order) return
    const params = JSON.stringify(order.payParams)
    console.log(`[demo] requestPayment params of ${orderId}: ${params}`)
    await Taro.setClipboardData({ data: params })
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
    } else if (outcome.kind === 'unconfirmed') {
      setStatus(`支付结果确认中 订单号 ${orderId}: ${outcome.reason}。请稍后点「查询支付结果」或在「我的订单」中查看`)
      await Taro.showModal({ title: '支付结果确认中', content: `${outcome.reason}。请稍后在「我的订单」中查看,无需重复支付`, showCancel: false })
    } else {
      setStatus(`支付失败,请重新尝试 订单号 ${orderId}: ${outcome.reason}`)
      await Taro.showModal({ title: '支付失败,请重新尝试', content: outcome.reason, showCancel: false })
    }
  }

  useEffect(() => { startPayment() }, [])

  if (!order) {
    // payParams live only in memory (e.g. the H5 page was reloaded): the order has to be placed again.
    return (
      <View className='page'>
        <Text className='error' id='status'>{`订单 ${orderId} 无法在此页继续支付,请在「我的订单」中查看或返回重新下单`}</Text>
        <Button id='orders' onClick={() => Taro.redirectTo({ url: '/pages/orders/index' })}>我的订单</Button>
      </View>
    )
  }
  return (
    <View className='page'>
      <View className='card'>
        <Text className='title'>{order.description}</Text>
        <Text className='muted'>{`订单号 ${orderId}`}</Text>
        <Text className='price' id='amount'>{yuan(order.amount)}</Text>
      </View>
      <View className='card'><Text id='status'>{status}</Text></View>
      {phase === 'failed' && IN_DEVTOOLS && (
        <View className='card'>
          <Text className='muted' id='devtools-hint'>
            {'开发者工具(游客 AppID)不能调起微信支付。请复制支付参数,在浏览器打开模拟器的收银台页面(地址见 start.sh 的输出)粘贴并支付,再回到这里点「查询支付结果」。'}
          </Text>
          <Button id='copy-params' onClick={copyPayParams}>复制支付参数</Button>
        </View>
      )}
      {(phase === 'cancelled' || phase === 'failed') && <Button className='primary' id='retry' onClick={startPayment}>重新支付</Button>}
      {(phase === 'failed' || phase === 'unconfirmed') && <Button id='check' onClick={checkAgain}>查询支付结果</Button>}
      <Button id='orders' onClick={() => Taro.navigateTo({ url: '/pages/orders/index' })}>我的订单</Button>
      <Button id='home' onClick={() => Taro.reLaunch({ url: '/pages/index/index' })}>返回商品列表</Button>
    </View>
  )
}
