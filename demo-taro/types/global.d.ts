/// <reference types="@tarojs/taro" />

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5'
    /** Merchant backend base URL, from .env.<mode> */
    TARO_APP_API: string
    /** WeChat simulator base URL (H5 build only), from .env.<mode> */
    TARO_APP_SIM: string
  }
}
