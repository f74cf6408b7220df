export default defineAppConfig({
  pages: ['pages/index/index', 'pages/product/index', 'pages/result/index', 'pages/orders/index'],
  window: {
    navigationBarBackgroundColor: '#07c160',
    navigationBarTitleText: '皂坊小铺',
    navigationBarTextStyle: 'white',
    // 'default' is the mini program's own bar; on H5 it makes Taro draw one, with a back button (hidden otherwise).
    navigationStyle: 'default',
    backgroundColor: '#f5f5f5'
  }
})
