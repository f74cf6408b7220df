// weapp: the real WeChat APIs. Taro resolves wx.h5.ts instead on H5, so nothing simulated ships in the mini program.
import Taro from '@tarojs/taro'
import type { PayParams } from './merchant'

export const login = (): Promise<{ code: string }> => Taro.login()
export const requestPayment = (p: PayParams): Promise<{ errMsg: string }> => Taro.requestPayment({ ...p })
