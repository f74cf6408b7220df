// weapp: the real WeChat APIs. Taro resolves wx.h5.ts instead on H5, so nothing simulated ships in the mini program.
import Taro from '@tarojs/taro'
import type { PayParams } from './merchant'

export const login = (): Promise<{ code: string }> => Taro.login()

// Taro 4.2.0 does not promisify requestPayment on weapp (it is missing from its needPromiseApis list): without
// callbacks the result would depend on the base library's own promise style, so pass them explicitly.
export const requestPayment = (p: PayParams): Promise<{ errMsg: string }> =>
  new Promise((resolve, reject) => { Taro.requestPayment({ ...p, success: resolve, fail: reject }) })
