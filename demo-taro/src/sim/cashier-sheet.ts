// H5 only (imported by services/wx.h5.ts): a bottom sheet that plays WeChat's cashier, so a person or a test
// can confirm or cancel the payment. Plain DOM on purpose: it lives outside the React page tree, like WeChat's own sheet.
import { yuan } from '../services/merchant'

export interface CashierPreview {
  merchantName: string
  description: string
  /** fen */
  amount: number
}

function el(tag: string, style: string, text = ''): HTMLElement {
  const e = document.createElement(tag)
  e.style.cssText = style
  e.textContent = text
  return e
}

/** Shows the sheet; resolves true on 确认支付, false on 取消. */
export function askUser(p: CashierPreview): Promise<boolean> {
  return new Promise((resolve) => {
    const mask = el('div', 'position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:10000;display:flex;align-items:flex-end')
    mask.id = 'sim-cashier'
    const sheet = el('div', 'background:#fff;width:100%;border-radius:12px 12px 0 0;padding:20px 16px 28px;box-sizing:border-box;text-align:center;font-size:15px')
    const button = (id: string, text: string, style: string, answer: boolean) => {
      const b = el('button', `display:block;width:100%;margin-top:12px;padding:12px;border:0;border-radius:8px;font-size:16px;${style}`, text)
      b.id = id
      b.onclick = () => { mask.remove(); resolve(answer) }
      return b
    }
    sheet.append(
      el('div', 'color:#888', '微信支付 (模拟收银台)'),
      el('div', 'margin-top:8px', p.merchantName),
      el('div', 'font-size:32px;font-weight:bold;margin:12px 0', yuan(p.amount)),
      el('div', 'color:#666', p.description),
      button('sim-cashier-confirm', '确认支付', 'background:#07c160;color:#fff', true),
      button('sim-cashier-cancel', '取消', 'background:#f2f2f2;color:#333', false)
    )
    mask.append(sheet)
    document.body.append(mask)
  })
}
