// Links the Function App as the Static Web App's /api backend. Linking hands the app Static Web
// Apps' sign-in, so the x-ms-client-principal header the API checks comes from Static Web Apps
// in Azure too. Its own module, after both exist: the app's settings need the site's address.

@description('Name of the Static Web App.')
param siteName string

@description('Resource id of the Function App linked as the /api backend.')
param backendResourceId string

@description('Region of the Function App linked as the backend.')
param backendLocation string

resource site 'Microsoft.Web/staticSites@2024-04-01' existing = {
  name: siteName
}

// Named 'api' as before, so an existing deployment keeps its link.
resource backend 'Microsoft.Web/staticSites/linkedBackends@2024-04-01' = {
  parent: site
  name: 'api'
  properties: {
    backendResourceId: backendResourceId
    region: backendLocation
  }
}
