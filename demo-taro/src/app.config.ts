export default defineAppConfig({
  pages: ['pages/index/index', 'pages/product/index', 'pages/result/index'],
  window: {
    navigationBarBackgroundColor: '#07c160',
    navigationBarTitleText: '皂坊小铺',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f5f5f5'
  }
})
